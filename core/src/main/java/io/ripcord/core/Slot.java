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

    /**
     * This slot's place in the pool's slot table.
     *
     * @return the index, small and dense; another slot may get it once this one has closed
     */
    public int index() {
        return index;
    }

    /**
     * Which registration at {@link #index()} this is.
     *
     * @return the generation, starting at 1 and higher with each reuse of the index; with the index it names this
     *     slot uniquely for the pool's life
     */
    public long generation() {
        return generation;
    }

    /**
     * The channel this slot watches. Read and write it only on the owner poller; the slot closes it, so do not
     * close it yourself (use {@link #close()}).
     *
     * @return the channel given to {@link EventPool#register}, in non-blocking mode
     */
    public SelectableChannel channel() {
        return channel;
    }

    /**
     * The handler the owner poller calls for this slot.
     *
     * @return the handler given to {@link EventPool#register}
     */
    public EventHandler handler() {
        return handler;
    }

    /**
     * The poller that owns this slot now. From any thread; the answer may change when a resize retires the owner
     * ({@link EventPool#reconfigure}).
     *
     * @return the current owner
     */
    public Poller poller() {
        return owner;
    }

    /**
     * The pool this slot was registered with.
     *
     * @return the pool; the same for the slot's whole life
     */
    public EventPool pool() {
        return owner.pool(); // every owner, before and after a reconfigure, is of the same pool
    }

    /**
     * Whether the calling thread is this slot's owner poller, where owner-only state may be touched.
     *
     * @return {@code true} only on the current owner's thread
     */
    public boolean inPoller() {
        return owner.inPoller();
    }

    /**
     * Whether the slot is open. From any thread.
     *
     * @return {@code false} as soon as a close was requested or the slot began to fail, before its final pollErr
     *     call
     */
    public boolean isOpen() {
        return state == OPEN;
    }

    /**
     * Whether the slot has finished closing. From any thread.
     *
     * @return {@code true} once its key is cancelled and its index released; the final pollErr call is made right
     *     after that on the owner poller, so on another thread it may still be in flight, and the channel itself
     *     is closed by the owner's next select (within about a millisecond)
     */
    public boolean isClosed() {
        return state == CLOSED;
    }

    /**
     * Why the slot closed. From any thread; read it in the final pollErr call, where it is settled.
     *
     * @return {@code null} while open and after a requested {@link #close()}; the exception a handler or a slot's
     *     task or timer threw, or a channel operation failed with; {@link PoolShutdownException} when the pool
     *     shut down
     */
    public Throwable failure() {
        return failure;
    }

    /**
     * The object last given to {@link #attach}. From any thread (a volatile read).
     *
     * @return the attachment, or {@code null} if none was attached
     */
    public Object attachment() {
        return attachment;
    }

    /**
     * Keeps an object of the caller's with this slot, such as the connection the handler serves. From any thread
     * (a volatile write); it replaces the previous one.
     *
     * @param value the object, or {@code null} to drop it
     */
    public void attach(Object value) {
        this.attachment = value;
    }

    /**
     * Sets which readiness this slot wants: {@code in} is read (accept for a server channel), {@code out} is
     * write (connect while a socket's connection is pending). From any thread; applied at once on the owner,
     * queued otherwise. A change that reaches the owner after the slot closed is dropped.
     *
     * @param in whether to be called when the channel can be read or accept
     * @param out whether to be called when the channel can be written or finish connecting
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
     * makes the final pollErr call once, after the handler in flight (if any) returns, and closes the channel
     * once its next select has deregistered it.
     * Always queued, even on the owner poller; it returns at once, and {@link #isOpen()} is {@code false} from
     * then on. Works during a shutdown too.
     */
    public void close() {
        if (STATE.compareAndSet(this, OPEN, CLOSING)) {
            owner.enqueue(Command.close(this));
        }
    }

    /**
     * Runs {@code task} on the owner poller if this slot is still of its generation then; else drops it.
     * From any thread; always queued, even on the owner, so it runs after the current handler returns. An
     * exception the task throws closes the slot with that exception as its {@link #failure()}.
     *
     * @param task what to run; it must not block
     */
    public void execute(Runnable task) {
        owner.enqueue(Command.slotTask(this, task));
    }

    /**
     * Runs {@code task} on the owner poller once {@code delay} has passed on the pool's {@link Clock}; dropped
     * if the slot is closed by the deadline. From any thread. An exception the task throws closes the slot.
     *
     * @param task what to run; it must not block
     * @param delay how long to wait; zero or negative means as soon as possible
     * @param unit the unit of {@code delay}
     * @return the timer, to {@link Timer#cancel() cancel} it from any thread
     * @throws PoolShutdownException if the pool is shutting down and the caller is not one of its pollers
     */
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
