package io.ripcord.transport;

import io.ripcord.core.Poller;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One connection (GlusterFS's {@code rpc_transport_t}): a stream socket, TCP or Unix domain, on the poller
 * that owns it.
 *
 * <p>Thread rules: every method may be called from any thread. On the owner poller, {@link #send} writes at
 * once when nothing is queued; elsewhere it copies the message, queues it and lets the owner write it. Closing
 * and pausing from other threads are queued to the owner. Events ({@link TransportListener}) are delivered
 * on the owner poller, one at a time.
 *
 * <p>It is an interface so code built on it can be tested against a mocked transport.
 */
public interface Transport {

    /**
     * Sends {@code message} (its bytes from position to limit). The caller keeps the buffer: what is not
     * written at once is copied, so the buffer may be reused as soon as this returns. Messages from one thread
     * go out in the order sent. Sending on a closed transport drops the message silently (the DISCONNECT event
     * has said or will say why).
     *
     * @param context handed back with {@link TransportListener#onMessageSent} once the last byte is written
     *                (may be {@code null}); on the owner with nothing queued that can happen before this returns
     */
    void send(ByteBuffer message, Object context);

    /** {@link #send(ByteBuffer, Object)} with no context. */
    default void send(ByteBuffer message) {
        send(message, null);
    }

    /** Flushes what is queued, then closes; DISCONNECT cause {@link DisconnectCause#LOCAL_CLOSE}. */
    void close();

    /** Closes at once, dropping what is queued; DISCONNECT cause {@link DisconnectCause#LOCAL_CLOSE}. */
    void abort();

    /** Half-close: flushes what is queued, then shuts down the output side; reading goes on. */
    void shutdownOutput();

    /** Stops reading from the socket until {@link #resumeReading()}; messages already buffered wait too. */
    void pauseReading();

    /** Undoes {@link #pauseReading()}. */
    void resumeReading();

    /** Whether the queued bytes are below the high watermark (or have fallen back under the low one). */
    boolean isWritable();

    /** Bytes accepted by {@link #send} and not yet written to the socket. */
    long queuedBytes();

    /** Whether the transport is connected and no close has been requested. */
    boolean isOpen();

    SocketAddress localAddress();

    SocketAddress remoteAddress();

    /** The poller that owns this connection now. */
    Poller poller();

    /** Whether the calling thread is the owner poller. */
    boolean inPoller();

    /** Runs {@code task} on the owner poller while the connection is registered; dropped afterwards. */
    void execute(Runnable task);

    /** Takes a reference; CLEANUP comes after DISCONNECT once every reference is released. */
    void retain();

    /** Releases a reference taken by {@link #retain()}. */
    void release();

    /** An object the user keeps with this transport. */
    Object attachment();

    void attach(Object value);
}
