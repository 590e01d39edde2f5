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
 * and handed to the owner through its write queue's inbox), {@code close}, {@code abort},
 * {@code shutdownOutput}, {@code pauseReading}, {@code resumeReading}, {@code startTls}, {@code execute}: all
 * queued to the owner; {@code tlsSession}, {@code peerCredentials}, {@code queuedBytes}, {@code isWritable}
 * and the other getters read state any thread may read</td></tr>
 * </table>
 * Listener and transport code never blocks a poller; {@link io.ripcord.transport.Connector} resolves names
 * on the calling thread, so pollers should pass resolved addresses.
 *
 * <p>A connection is a small state machine with parts: the write queue, the read path, an optional TLS stage,
 * optional timeouts. Its states, their transitions and what each part owns are written down in
 * {@code transport/README.md}.
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
 * <h2>TLS</h2>
 * With {@link io.ripcord.transport.TransportOptions#tls()} set, a connection runs an {@link javax.net.ssl.SSLEngine}
 * on its owner poller: server side for connections a {@link io.ripcord.transport.Listener} accepts
 * ({@link io.ripcord.transport.TlsOptions#server}), client side for a {@link io.ripcord.transport.Connector}
 * ({@link io.ripcord.transport.TlsOptions#client}); each refuses the other kind of options.
 * <ul>
 * <li><b>Threads.</b> The engine's {@code wrap}, {@code unwrap}, {@code beginHandshake} and
 * {@code closeOutbound} run only on the owner. When the engine asks for delegated tasks (certificate checks,
 * key exchange) the owner hands them to {@link io.ripcord.transport.TlsOptions#delegatedTaskExecutor()}
 * (default: the common fork-join pool), stops reading from that connection, and resumes on the owner once
 * they are done; a poller never runs nor waits for one. That executor must not run tasks on the calling
 * thread.</li>
 * <li><b>Handshake.</b> It starts when the connection is registered (server) or connected (client), and must end
 * within {@link io.ripcord.transport.TlsOptions#handshakeTimeout()} or the connection closes with cause TIMEOUT.
 * ACCEPT still comes before registration; a client's CONNECT and its connect future come after the handshake,
 * so a completed future means an authenticated peer. A failed handshake fails the future; it is no
 * connection, so there is no DISCONNECT.</li>
 * <li><b>On a live connection.</b> {@link io.ripcord.transport.Transport#startTls} starts TLS after plaintext
 * (STARTTLS): bytes read and not yet delivered become the peer's first records, messages queued before it go out
 * in the clear first, and its future completes with the handshake. A handshake that fails there is a
 * connection's failure: DISCONNECT with cause PROTOCOL.</li>
 * <li><b>Reading.</b> Records are read into the poller's read buffer (a partial record is kept in a buffer of
 * the connection's own), unwrapped, and the plaintext goes through the same read path and frame decoder as
 * without TLS. Pausing reading pauses application data only: the handshake reads on. The socket is read at most
 * {@code maxReadsPerWakeup} times a wakeup; the records read are all unwrapped.</li>
 * <li><b>Writing.</b> {@code send} queues plaintext, even on the owner; the owner wraps it lazily when it
 * flushes, once the handshake is done, a buffer of records at a time, in order. Watermarks and
 * {@code queuedBytes} count plaintext, until the records holding it are written; MSG_SENT follows that
 * write.</li>
 * <li><b>Closing.</b> {@code close()} writes what is queued, then a close_notify, then closes the socket
 * without waiting for the peer's; {@code shutdownOutput()} sends close_notify and then shuts the TCP output
 * (TLS 1.3 half-close); {@code abort()} sends nothing. The peer's close_notify is its end of stream: EOF, or
 * with half-close allowed an input shutdown (TLS 1.2 engines answer at once, which ends the connection). An end
 * of stream without close_notify is EOF too, but with the engine's {@link javax.net.ssl.SSLException} as the
 * DISCONNECT error: the stream may have been truncated.</li>
 * <li><b>Errors.</b> An {@link javax.net.ssl.SSLException} (a bad record, a failed handshake, a plaintext peer)
 * sends the engine's alert if it can be written at once and disconnects with cause PROTOCOL, once.</li>
 * </ul>
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
