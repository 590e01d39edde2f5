/**
 * The echo example: a server that sends back every byte it reads, and a load client that keeps messages in
 * flight on many connections, checks every echoed byte and measures round-trip latency.
 *
 * <p>Thread rules: the server's and the client's {@link io.ripcord.transport.TransportListener}s run on the
 * owner poller of their connection, so per-connection state needs no locks; what several pollers share (the
 * latency {@link org.HdrHistogram.Recorder}, counters) is thread-safe. {@link io.ripcord.examples.echo.EchoServer}
 * and {@link io.ripcord.examples.echo.EchoClient} methods may be called from any thread that is not a poller.
 */
package io.ripcord.examples.echo;
