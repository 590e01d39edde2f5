package io.ripcord.core;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A channel registered with an {@link EventPool}: GlusterFS's {@code event_slot_epoll}, keyed by an index
 * and a generation.
 *
 * <p>Slot indexes are reused once a slot is closed; each reuse gets a higher generation. Every task, timer,
 * interest change and close aimed at a slot carries the generation it was made for, and the owner poller drops
 * it if the slot at that index is no longer of that generation (GlusterFS drops events whose gen mismatches).
 *
 * <p>Thread rules: {@link #selectOn}, {@link #close()}, {@link #execute}, {@link #schedule} and every getter may
 * be called from any thread; from the owner poller they act at once (close still waits for the handler in
 * flight to return), from other threads they are queued to the owner. The owner of a slot may change when the
 * pool shrinks ({@link EventPool#reconfigure}); the queue follows it.
 */
public final class Slot {

    static final int OPEN = 0;
    static final int CLOSING = 1;
    static final int CLOSED = 2;

    private final int index;
    private final long generation;
    private final SelectableChannel channel;
    private final EventHandler handler;
    private static final AtomicIntegerFieldUpdater<Slot> STATE =
            AtomicIntegerFieldUpdater.newUpdater(Slot.class, "state");
    /** OPEN, CLOSING or CLOSED; a field updater, not an AtomicInteger, to keep a slot one object. */
    private volatile int state = OPEN;
    private volatile Poller owner;
    private volatile Object attachment;
    private volatile Throwable failure;

    // Owner-only state.
    SelectionKey key;
    boolean wantIn;
    boolean wantOut;

    Slot(int index, long generation, SelectableChannel channel, EventHandler handler,
         Poller owner, boolean in, boolean out) {
        this.index = index;
        this.generation = generation;
        this.channel = channel;
        this.handler = handler;
        this.owner = owner;
        this.wantIn = in;
        this.wantOut = out;
    }

    /** The index in the pool's slot table; reused after this slot closes. */
    public int index() {
        return index;
    }

    /** The generation of this registration at {@link #index()}. */
    public long generation() {
        return generation;
    }

    public SelectableChannel channel() {
        return channel;
    }

    public EventHandler handler() {
        return handler;
    }

    /** The poller that owns this slot now. */
    public Poller poller() {
        return owner;
    }

    /** The pool this slot belongs to. */
    public EventPool pool() {
        return owner.pool(); // every owner, before and after a reconfigure, is of the same pool
    }

    /** Whether the calling thread is this slot's owner poller. */
    public boolean inPoller() {
        return owner.inPoller();
    }

    /** Whether neither a close was requested nor the slot closed. */
    public boolean isOpen() {
        return state == OPEN;
    }

    /** Whether the slot has been closed and had its final pollErr call. */
    public boolean isClosed() {
        return state == CLOSED;
    }

    /**
     * Why the slot closed: {@code null} while open and after a requested {@link #close()}; the exception a
     * handler threw or a channel operation failed with; {@link PoolShutdownException} when the pool shut down.
     */
    public Throwable failure() {
        return failure;
    }

    /** An object the user keeps with the slot. */
    public Object attachment() {
        return attachment;
    }

    public void attach(Object value) {
        this.attachment = value;
    }

    /**
     * Sets which readiness this slot wants: {@code in} is read (accept for a server channel), {@code out} is
     * write (connect while a socket's connection is pending). From any thread; queued unless on the owner.
     */
    public void selectOn(boolean in, boolean out) {
        Poller p = owner;
        if (p.inPoller()) {
            p.applyInterest(this, generation, in, out);
        } else {
            p.enqueue(Command.interest(this, in, out));
        }
    }

    /**
     * Asks for this slot to be closed; from any thread, any number of times. The owner poller cancels the key,
     * closes the channel and makes the final pollErr call once, after the handler in flight (if any) returns.
     */
    public void close() {
        if (STATE.compareAndSet(this, OPEN, CLOSING)) {
            owner.enqueue(Command.close(this));
        }
    }

    /**
     * Runs {@code task} on the owner poller if this slot is still of its generation then; else drops it.
     * From any thread.
     */
    public void execute(Runnable task) {
        owner.enqueue(Command.slotTask(this, task));
    }

    /** Schedules {@code task} on the owner poller; dropped if the slot is closed by the deadline. */
    public Timer schedule(Runnable task, long delay, TimeUnit unit) {
        return owner.scheduleTimer(task, delay, unit, this);
    }

    // --- owner-side helpers -------------------------------------------------------------------------------

    void owner(Poller p) {
        owner = p;
    }

    /** Marks the slot as closing because of {@code cause}; false if it had already closed. */
    boolean markFailing(Throwable cause) {
        for (;;) {
            int s = state;
            if (s == CLOSED) {
                return false;
            }
            if (cause != null && failure == null) {
                failure = cause;
            }
            if (s == CLOSING || STATE.compareAndSet(this, OPEN, CLOSING)) {
                return true;
            }
        }
    }

    void markClosed() {
        state = CLOSED;
    }

    int interestOps() {
        return opsFor(channel, wantIn, wantOut);
    }

    static int opsFor(SelectableChannel ch, boolean in, boolean out) {
        int valid = ch.validOps();
        int ops = 0;
        if (in) {
            ops |= valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        if (out) {
            if (ch instanceof SocketChannel && ((SocketChannel) ch).isConnectionPending()) {
                ops |= SelectionKey.OP_CONNECT;
            } else {
                ops |= valid & SelectionKey.OP_WRITE;
            }
        }
        return ops;
    }

    @Override
    public String toString() {
        return "Slot[" + index + "/" + generation + " " + channel + "]";
    }
}
