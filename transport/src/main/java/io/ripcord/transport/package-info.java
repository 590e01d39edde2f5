/**
 * Connections over the event pool: GlusterFS's {@code socket.c} and {@code rpc-transport.c}.
 *
 * <h2>Thread rules</h2>
 * <table>
 * <caption>who may do what</caption>
 * <tr><th>who</th><th>may do</th></tr>
 * <tr><td>a connection's owner poller</td><td>read, decode, deliver events, write inline, change interest,
 * close; every {@link io.ripcord.transport.TransportListener} method runs here</td></tr>
 * <tr><td>any other thread</td><td>{@link io.ripcord.transport.Transport#send send} (the message is copied
 * and queued), {@code close}, {@code abort}, {@code shutdownOutput}, {@code pauseReading},
 * {@code resumeReading}, {@code execute}: all queued to the owner</td></tr>
 * </table>
 * Listener and transport code never blocks a poller; {@link io.ripcord.transport.Connector} resolves names
 * on the calling thread, so pollers should pass resolved addresses.
 *
 * <h2>Buffers</h2>
 * Each poller reads into one shared direct buffer; a connection keeps a buffer of its own (from a per-poller
 * pool, grown by doubling up to what its decoder may need) only while it holds a partial frame, so idle
 * connections cost no buffer memory. {@code send} copies only what it cannot write at once, into pooled
 * buffers on the owner and into fresh heap buffers on other threads; the caller's buffer is never kept.
 *
 * <h2>Order of work on a ready connection</h2>
 * Poll-out first (flush the queue, or finish a connect), then poll-in, as GlusterFS's
 * {@code socket_event_handler}: freeing queued memory before reading more keeps memory bounded. Reads stop after
 * {@link io.ripcord.transport.TransportOptions#maxReadsPerWakeup()} reads, writes after
 * {@link io.ripcord.transport.TransportOptions#maxWriteSpins()} attempts, so one busy peer cannot starve the
 * others on its poller.
 *
 * <h2>UDP</h2>
 * A {@link io.ripcord.transport.DatagramEndpoint} is one bound UDP socket on one owner poller, for protocols
 * that carry one message per datagram (ONC RPC over UDP: no record marking, the reply goes to the sender).
 * Its owner receives (at most {@code maxReadsPerWakeup} per wakeup, into the poller's shared direct buffer),
 * runs the {@link io.ripcord.transport.DatagramHandler}, sends inline when nothing is queued and flushes the
 * queue on poll-out before poll-in; any other thread may {@code send} (copied and queued, bounded by
 * {@code maxQueuedBytes}), {@code close}, {@code execute} and read the counters. UDP is lossy and so is the
 * endpoint: it never blocks a sender and never grows without bound. A datagram beyond the queue bound, sent
 * after close, refused by the system, or longer than {@code maxDatagramSize} is dropped and counted; a handler
 * that throws is counted and the endpoint keeps serving.
 */
package io.ripcord.transport;
