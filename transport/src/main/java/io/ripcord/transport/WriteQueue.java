package io.ripcord.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * What an endpoint (a stream connection or a datagram endpoint) has accepted to send and not yet written, and
 * how many bytes that is: GlusterFS's {@code ioq}, Netty's {@code ChannelOutboundBuffer}.
 *
 * <h2>Two parts, two sets of threads</h2>
 * <ul>
 * <li><b>The inbox</b>: the one way other threads hand messages to the owner poller. {@link #handOff} pushes on
 * a lock-free stack (a compare-and-set on one field, no lock, no node object besides the message) and says
 * whether the caller must schedule the owner's drain: only the first hand-off after a drain does, so a burst of
 * sends from other threads costs one task on the owner. Any thread.</li>
 * <li><b>The queue</b>: the owner's list, oldest first. The owner moves the inbox into it ({@link #takeInbox},
 * reversing the stack so each thread's messages stay in order), adds its own messages, gathers buffers for one
 * write, and completes messages once written: releases their pooled buffers and hands their contexts back.
 * Owner poller only.</li>
 * </ul>
 * {@link #queuedBytes()} and {@link #isWritable()} may be read from any thread; the byte count is updated by
 * whoever queues (any thread) and whoever writes (the owner).
 *
 * <h2>Written, consumed, completed</h2>
 * A write consumes a message's bytes (its buffer's position moves); a plain socket puts consumed bytes on the
 * wire at once, but a TLS stage first turns them into records it still has to write. So a consumed message is
 * completed ({@link #completeConsumed}) only when whoever wrote it says its bytes are out, and the queue keeps a
 * cursor on the first message not yet consumed: everything before it waits for completion, everything from it
 * on waits for a write.
 *
 * <p>The byte count is what the endpoint's watermarks (streams) or bound (datagrams) are measured against; it
 * falls as bytes reach the wire ({@link #written}), not when a message is completed, so a large message being
 * written moves it gradually.
 */
final class WriteQueue {

    /** Buffers handed to one gathering write at most (the JDK caps an iovec at IOV_MAX, 1024 on Linux). */
    static final int MAX_GATHER = 64;

    /**
     * The queue of every stream connection that has never had to queue a message (an idle one, or one whose
     * writes all went out inline): empty to every read, never written to. The connection makes a queue of its own
     * the first time it needs one ({@code Connection.queue()}), so such a connection costs no queue object.
     */
    static final WriteQueue NONE = new WriteQueue();

    private static final AtomicReferenceFieldUpdater<WriteQueue, Outbound> INBOX =
            AtomicReferenceFieldUpdater.newUpdater(WriteQueue.class, Outbound.class, "inbox");
    private static final AtomicIntegerFieldUpdater<WriteQueue> DRAIN_SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(WriteQueue.class, "drainScheduled");
    private static final AtomicLongFieldUpdater<WriteQueue> QUEUED =
            AtomicLongFieldUpdater.newUpdater(WriteQueue.class, "queued");

    // Field updaters, not Atomic* objects: an idle connection should cost as few objects as possible.
    /** Messages other threads handed off, newest first (a Treiber stack). */
    private volatile Outbound inbox;
    /** 1 from the hand-off that asked for a drain until the owner starts it. */
    private volatile int drainScheduled;
    private volatile long queued;
    private volatile boolean writable = true;

    // Owner poller only.
    private Outbound head;
    private Outbound tail;
    /** The first message with bytes no write has consumed yet; {@code null} when every queued one is consumed. */
    private Outbound unconsumed;
    /** Made on the first gathering write, kept: buffers of the messages one write covers. */
    private ByteBuffer[] gather;

    // --- any thread ---------------------------------------------------------------------------------------

    /**
     * Hands a message to the owner: pushes it on the inbox. From any thread; never blocks. The caller counts its
     * bytes ({@link #count}, {@link #reserve}) before.
     *
     * @return whether the caller must schedule the owner's drain ({@link #drainStarted()} then
     *         {@link #takeInbox()}); {@code false} when one is scheduled already
     */
    boolean handOff(Outbound message) {
        assert this != NONE : "the shared empty queue is never written to";
        Outbound top;
        do {
            top = inbox;
            message.next = top;
        } while (!INBOX.compareAndSet(this, top, message));
        return drainScheduled == 0 && DRAIN_SCHEDULED.compareAndSet(this, 0, 1);
    }

    /** Adds {@code bytes} to the queued count. Any thread. */
    void count(long bytes) {
        assert this != NONE : "the shared empty queue is never written to";
        QUEUED.addAndGet(this, bytes);
    }

    /**
     * Adds {@code bytes} to the queued count if that stays within {@code max}. Any thread.
     *
     * @return whether they were counted
     */
    boolean reserve(long bytes, long max) {
        for (;;) {
            long q = queued;
            if (q + bytes > max) {
                return false;
            }
            if (QUEUED.compareAndSet(this, q, q + bytes)) {
                return true;
            }
        }
    }

    /** Bytes accepted and not yet on the wire. Any thread. */
    long queuedBytes() {
        return queued;
    }

    /** Whether the queued bytes are under the high watermark (or back under the low one). Any thread. */
    boolean isWritable() {
        return writable;
    }

    /**
     * Drops what the inbox holds, uncounting it: for messages handed off after their endpoint closed. Any thread.
     *
     * @return how many messages were dropped
     */
    int dropInbox() {
        int n = 0;
        for (Outbound o = INBOX.getAndSet(this, null); o != null; o = o.next) {
            QUEUED.addAndGet(this, -o.length);
            n++;
        }
        return n;
    }

    // --- owner poller -------------------------------------------------------------------------------------

    /** The owner's drain begins: a hand-off from now on schedules the next one. */
    void drainStarted() {
        assert this != NONE : "the shared empty queue is never written to";
        DRAIN_SCHEDULED.set(this, 0);
    }

    /** Whether other threads have handed off messages the owner has not taken yet. */
    boolean hasInbox() {
        return inbox != null;
    }

    /** Moves the inbox to the end of the queue, oldest first. */
    void takeInbox() {
        if (inbox == null) {
            return;
        }
        Outbound newest = INBOX.getAndSet(this, null);
        Outbound oldest = null;
        while (newest != null) {
            Outbound next = newest.next;
            newest.next = oldest;
            oldest = newest;
            newest = next;
        }
        while (oldest != null) {
            Outbound next = oldest.next;
            oldest.next = null;
            add(oldest);
            oldest = next;
        }
    }

    /** Appends a message the owner made (its bytes counted by the caller). */
    void add(Outbound message) {
        assert this != NONE : "the shared empty queue is never written to";
        if (tail == null) {
            head = message;
        } else {
            tail.next = message;
        }
        tail = message;
        if (unconsumed == null) {
            unconsumed = message;
        }
    }

    /** Whether any message waits in the queue, consumed or not (the inbox aside). */
    boolean hasQueued() {
        return head != null;
    }

    /** Whether a queued message has bytes no write consumed yet. */
    boolean hasUnconsumed() {
        return unconsumed != null;
    }

    /** The oldest queued message, or {@code null}. */
    Outbound first() {
        return head;
    }

    /** The newest queued message, or {@code null}. */
    Outbound last() {
        return tail;
    }

    /**
     * Writes the unconsumed bytes to {@code channel} in one write, gathering at most {@link #MAX_GATHER}
     * messages, and moves the cursor past what it consumed. The count and the completions are the caller's: the
     * channel may not have put the bytes on the wire yet.
     *
     * @param upTo the last message to include, or {@code null} for all
     * @return the bytes the channel took
     */
    long writeTo(GatheringByteChannel channel, Outbound upTo) throws IOException {
        Outbound first = unconsumed;
        if (first == null) {
            return 0;
        }
        long w;
        if (first.next == null || first == upTo) {
            w = channel.write(first.buf);
        } else {
            int n = gather(upTo);
            try {
                w = channel.write(gather, 0, n);
            } finally {
                clearGathered(n);
            }
        }
        skipConsumed();
        return w;
    }

    /**
     * Puts the buffers of the unconsumed messages (at most {@link #MAX_GATHER}, up to {@code upTo} if not
     * {@code null}) in {@link #gathered()}; {@link #clearGathered} empties it again.
     *
     * @return how many
     */
    int gather(Outbound upTo) {
        ByteBuffer[] g = gather;
        if (g == null) {
            g = gather = new ByteBuffer[MAX_GATHER];
        }
        int n = 0;
        for (Outbound o = unconsumed; o != null && n < MAX_GATHER; o = o.next) {
            g[n++] = o.buf;
            if (o == upTo) {
                break;
            }
        }
        return n;
    }

    /** The array {@link #gather} filled. */
    ByteBuffer[] gathered() {
        return gather;
    }

    /** Drops the {@code n} references {@link #gather} put in the array; moves the cursor past what was consumed. */
    void clearGathered(int n) {
        Arrays.fill(gather, 0, n, null);
        skipConsumed();
    }

    private void skipConsumed() {
        Outbound o = unconsumed;
        while (o != null && !o.buf.hasRemaining()) {
            o = o.next;
        }
        unconsumed = o;
    }

    /** {@code bytes} reached the wire: they no longer count as queued. */
    void written(long bytes) {
        if (bytes != 0) {
            QUEUED.addAndGet(this, -bytes);
        }
    }

    /**
     * Completes every consumed message, oldest first: releases its buffer and hands its context to
     * {@code done}. Call it once the bytes consumed so far are on the wire.
     */
    void completeConsumed(Completion done) {
        Outbound o;
        while ((o = head) != null && o != unconsumed) {
            Object context = o.context;
            removeFirst();
            done.written(context);
        }
    }

    /**
     * Unlinks the oldest message and releases it (its buffer and holder may be reused at once: read what is needed
     * of it before); its bytes are uncounted by the caller.
     *
     * @return whether there was one
     */
    boolean removeFirst() {
        Outbound o = head;
        if (o == null) {
            return false;
        }
        head = o.next;
        if (head == null) {
            tail = null;
        }
        if (unconsumed == o) {
            unconsumed = head;
        }
        o.next = null;
        o.release();
        return true;
    }

    /**
     * Whether the queued count just crossed a watermark: above {@code high} while writable, or down to
     * {@code low} while not. {@link #isWritable()} then has the new state.
     */
    boolean crossedWatermark(long low, long high) {
        long q = queued;
        if (writable && q > high) {
            writable = false;
            return true;
        }
        if (!writable && q <= low) {
            writable = true;
            return true;
        }
        return false;
    }

    /**
     * Drops every message, queued or in the inbox, releasing their buffers; the count goes to zero. The
     * endpoint has closed.
     *
     * @return how many messages were dropped
     */
    int clear() {
        assert this != NONE : "the shared empty queue is never written to";
        int n = dropInbox();
        while (removeFirst()) {
            n++;
        }
        QUEUED.set(this, 0);
        return n;
    }

    /** What a stream connection does with a completed message's context (MSG_SENT). Owner poller only. */
    interface Completion {
        void written(Object context);
    }
}
