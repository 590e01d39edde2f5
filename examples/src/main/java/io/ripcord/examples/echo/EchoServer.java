package io.ripcord.examples.echo;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.transport.Listener;
import io.ripcord.transport.ListenerOptions;
import io.ripcord.transport.TlsOptions;
import io.ripcord.transport.Transport;
import io.ripcord.transport.TransportListener;
import io.ripcord.transport.TransportOptions;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An echo server: every read is sent straight back ({@link Transport#send} writes inline on the owner poller
 * and copies only what the socket does not take). Reading pauses while a peer does not drain its echoes, so a
 * slow reader costs at most the write high watermark of memory.
 */
public final class EchoServer implements AutoCloseable {

    /** One stateless listener serves every connection: echoing needs no per-connection state. */
    private static final TransportListener ECHO = new TransportListener() {
        @Override
        public void onMessage(Transport transport, ByteBuffer message) {
            transport.send(message);
        }
    };

    private final EventPool pool;
    private final Listener listener;

    private EchoServer(EventPool pool, Listener listener) {
        this.pool = pool;
        this.listener = listener;
    }

    /**
     * Starts a pool of {@code pollers} threads and listens on {@code address} (TCP, port 0 for an ephemeral
     * port, or a {@link java.net.UnixDomainSocketAddress}).
     *
     * @param tls TLS for every connection, or {@code null} for plain TCP
     */
    public static EchoServer start(SocketAddress address, int pollers, TlsOptions tls) throws IOException {
        return start(address, pollers, tls, ListenerOptions.defaults());
    }

    /**
     * Starts as {@link #start(SocketAddress, int, TlsOptions)} does, the listener made with {@code listenerOptions}
     * (e.g. {@link ListenerOptions.Builder#reusePort(boolean)}); the echo server sets their transport options.
     */
    public static EchoServer start(SocketAddress address, int pollers, TlsOptions tls, ListenerOptions listenerOptions)
            throws IOException {
        TransportOptions transport = TransportOptions.builder()
                .tcpNoDelay(true)
                .pauseReadingWhenUnwritable(true)
                .tls(tls)
                .build();
        EventPool pool = EventPool.create(EventPoolOptions.builder()
                .pollers(pollers)
                .threadNamePrefix("echo-server")
                .build()).start();
        try {
            Listener l = Listener.bind(pool, address,
                    listenerOptions.toBuilder().transportOptions(transport).build(), t -> ECHO);
            return new EchoServer(pool, l);
        } catch (IOException | RuntimeException e) {
            pool.close(); // its pollers are not daemons: a failed start must not keep the JVM alive
            throw e;
        }
    }

    /** Server-side TLS with the demo self-signed certificate for {@code localhost}. */
    public static TlsOptions demoTls() {
        return TlsOptions.server(DemoTls.context());
    }

    /** The address listened on, with the real port. */
    public SocketAddress address() {
        return listener.address();
    }

    /** Connections open now. */
    public int connectionCount() {
        return listener.connectionCount();
    }

    /**
     * Writes the server's live state: its listener's counts, then the event pool's ({@link EventPool#dumpState}:
     * pollers and each connection with its queued bytes). Not from a poller.
     *
     * @param out where to write
     * @throws IOException if {@code out} fails
     */
    public void dumpState(Appendable out) throws IOException {
        out.append("EchoServer on ").append(String.valueOf(listener.address())).append(": accepted ")
                .append(String.valueOf(listener.acceptedCount())).append(", refused ")
                .append(String.valueOf(listener.refusedCount())).append(", open ")
                .append(String.valueOf(listener.connectionCount())).append('\n');
        pool.dumpState(out);
    }

    /** Blocks until the server has stopped (after {@link #close()} from another thread). */
    public void awaitTermination() throws InterruptedException {
        pool.dispatch();
    }

    /** Stops listening, disconnects every connection and waits (at most 10 s) for the pollers to end. */
    @Override
    public void close() {
        listener.close();
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).orTimeout(10, TimeUnit.SECONDS).join();
    }
}
