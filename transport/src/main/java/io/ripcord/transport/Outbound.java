package io.ripcord.transport;

import java.nio.ByteBuffer;

/**
 * One message a {@link WriteQueue} holds: a copy the endpoint owns, what it counted for, and what to say once it
 * is written. Its buffer comes from the owner poller's {@link BufferPool} when the owner made the copy, and is
 * a plain heap buffer when another thread did (those threads have no pool).
 *
 * <p>Threads: made by whichever thread sends; from then on touched by the owner poller only (the hand-off to it
 * publishes the fields).
 */
final class Outbound {

    final ByteBuffer buf;
    /** A stream's MSG_SENT context (may be {@code null}), or a datagram's destination address. */
    final Object context;
    /** The bytes it counts in the queue while it waits. */
    final int length;
    /** Whether {@link #buf} goes back to a poller's {@link BufferPool} once written. */
    final boolean pooled;
    /** The next message of whichever list holds this one (the inbox or the queue). */
    Outbound next;

    Outbound(ByteBuffer buf, Object context, boolean pooled) {
        this.buf = buf;
        this.context = context;
        this.length = buf.remaining();
        this.pooled = pooled;
    }

    /** A copy of {@code message}'s remaining bytes in a buffer from this (owner) thread's pool. */
    static Outbound pooledCopy(ByteBuffer message, Object context, BufferPool pool) {
        ByteBuffer copy = pool.acquire(message.remaining());
        copy.put(message).flip();
        return new Outbound(copy, context, true);
    }

    /** A copy of {@code message}'s remaining bytes in a fresh heap buffer: for threads that own no pool. */
    static Outbound heapCopy(ByteBuffer message, Object context) {
        ByteBuffer copy = ByteBuffer.allocate(message.remaining());
        copy.put(message).flip();
        return new Outbound(copy, context, false);
    }

    /** Gives the buffer back to the calling poller's pool, if it came from one. */
    void release() {
        if (pooled) {
            BufferPool.local().release(buf);
        }
    }
}
