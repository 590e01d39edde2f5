package io.ripcord.transport;

import java.nio.ByteBuffer;

/**
 * One message a {@link WriteQueue} holds: a copy the endpoint owns, what it counted for, and what to say once it
 * is written. Its buffer comes from the owner poller's {@link BufferPool} when the owner made the copy, and is
 * a plain heap buffer when another thread did (those threads have no pool).
 *
 * <p>One the owner made goes back to its poller's pool once written, buffer and all, and holds the next message
 * the owner queues ({@link BufferPool#holder}): replies batched behind a read cost no allocation. One another
 * thread made is left to the collector.
 *
 * <p>Threads: made by whichever thread sends; from then on touched by the owner poller only (the hand-off to it
 * publishes the fields).
 */
final class Outbound {

    // Not final: a pooled holder carries one message after another.
    ByteBuffer buf;
    /** A stream's MSG_SENT context (may be {@code null}), or a datagram's destination address. */
    Object context;
    /** The bytes it counts in the queue while it waits. */
    int length;
    /** Whether {@link #buf} (and this holder) go back to a poller's {@link BufferPool} once written. */
    boolean pooled;
    /** The next message of whichever list holds this one (the inbox, the queue, or a pool's spare holders). */
    Outbound next;

    Outbound(ByteBuffer buf, Object context, boolean pooled) {
        hold(buf, context, pooled);
    }

    /** Makes this holder carry {@code buf}. */
    Outbound hold(ByteBuffer buf, Object context, boolean pooled) {
        this.buf = buf;
        this.context = context;
        this.length = buf.remaining();
        this.pooled = pooled;
        return this;
    }

    /** A copy of {@code message}'s remaining bytes in a buffer from this (owner) thread's pool. */
    static Outbound pooledCopy(ByteBuffer message, Object context, BufferPool pool) {
        ByteBuffer copy = pool.acquire(message.remaining());
        copy.put(message).flip();
        return BufferPool.local().holder(copy, context);
    }

    /** A copy of {@code message}'s remaining bytes in a fresh heap buffer: for threads that own no pool. */
    static Outbound heapCopy(ByteBuffer message, Object context) {
        ByteBuffer copy = ByteBuffer.allocate(message.remaining());
        copy.put(message).flip();
        return new Outbound(copy, context, false);
    }

    /**
     * Gives the buffer, and this holder, back to the calling poller's pool if they came from one. The holder must
     * not be touched afterwards: read what is needed of it first.
     */
    void release() {
        if (pooled) {
            BufferPool p = BufferPool.local();
            p.release(buf);
            buf = null;
            context = null;
            p.spare(this);
        }
    }
}
