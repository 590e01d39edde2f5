package io.ripcord.testkit;

import io.ripcord.core.Clock;
import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.core.Poller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Time that moves only when a test says: idle, frame, connect, handshake and call timeouts fire when the test
 * calls {@link #advance}, never because the machine was slow, and a test of a 42-second ping timeout takes no
 * 42 seconds.
 *
 * <p>It drives two kinds of things:
 * <ul>
 * <li><b>event pools</b> made with it ({@link #startPool}, or any pool whose options carry it and that was
 * {@link #attach attached}): their pollers' timers run by this clock, and {@link #advance} returns once every
 * timer due by the new time has run, and what those timers queued on their pollers (a timeout's close, say) has
 * run too;</li>
 * <li><b>{@link EmbeddedTransport}s</b> made with it: their idle and frame timeouts run on the thread that calls
 * {@link #advance}, before it returns.</li>
 * </ul>
 *
 * <p>Thread rules: {@link #nanoTime()} from any thread (pollers read it); {@link #advance} from the test's thread,
 * not from a poller of an attached pool (it waits for them).
 */
public final class ManualClock implements Clock {

    private static final long WAIT_SECONDS = 30;

    private final List<EventPool> pools = new CopyOnWriteArrayList<>();
    /** Timeouts of embedded transports, by deadline; guarded by this. */
    private final PriorityQueue<Scheduled> scheduled = new PriorityQueue<>();
    private volatile long now;
    private long sequence;

    /** A clock at an arbitrary time, as {@link System#nanoTime()} is. */
    public ManualClock() {
        this.now = TimeUnit.DAYS.toNanos(1);
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /**
     * Options for a pool that runs by this clock; attach the pool once it is made ({@link #attach}), so that
     * {@link #advance} waits for its timers.
     *
     * @return a new builder with this clock set; change anything else on it
     */
    public EventPoolOptions.Builder poolOptions() {
        return EventPoolOptions.builder().clock(this);
    }

    /**
     * Makes, starts and attaches a pool that runs by this clock. The test closes it.
     *
     * @param pollers how many pollers; their threads are named {@code manual-clock-N} and are not daemons
     * @return the started pool
     */
    public EventPool startPool(int pollers) {
        return attach(EventPool.create(poolOptions().pollers(pollers).threadNamePrefix("manual-clock").build())
                .start());
    }

    /**
     * Lets {@link #advance} wait for {@code pool}'s timers. A pool that is shut down is skipped from then on.
     * From any thread.
     *
     * @param pool a pool built with this clock ({@link #poolOptions()})
     * @return {@code pool}, so that {@code clock.attach(EventPool.create(options).start())} reads
     * @throws IllegalArgumentException if the pool does not run by this clock
     */
    public EventPool attach(EventPool pool) {
        if (pool.options().clock() != this) {
            throw new IllegalArgumentException(pool + " runs by another clock; build it with poolOptions()");
        }
        pools.add(pool);
        return pool;
    }

    /**
     * Moves time forward by {@code d}, then runs what came due: the embedded transports' timeouts (here, on this
     * thread, in deadline order), and the attached pools' timers (on their pollers; this waits until each poller
     * has run every timer due by now, and then the tasks those timers queued on it).
     *
     * <p>{@code advance(Duration.ZERO)} is a barrier: it returns once each poller has finished the handler or task
     * it was running (a read whose echo the test has already seen may still be noting a partial frame).
     *
     * @param d how far to move; zero runs what is due without moving
     * @throws IllegalArgumentException if {@code d} is negative
     * @throws IllegalStateException if a poller did not get there within 30 seconds (it is blocked)
     */
    public void advance(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward, not by " + d);
        }
        long target;
        synchronized (this) {
            now += d.toNanos();
            target = now;
        }
        runScheduled(target);
        for (EventPool pool : pools) {
            if (!pool.isShutdown()) {
                settle(pool);
            }
        }
    }

    /** Waits until each poller has fired its due timers, then run the commands those timers queued. */
    private static void settle(EventPool pool) {
        List<CompletableFuture<Void>> timers = new ArrayList<>();
        for (Poller p : pool.pollers()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            // Timers fire in deadline order and this one is due now: once it has run, every earlier one has.
            p.schedule(() -> done.complete(null), 0, TimeUnit.NANOSECONDS);
            timers.add(done);
        }
        await(timers);
        List<CompletableFuture<Void>> tasks = new ArrayList<>();
        for (Poller p : pool.pollers()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            p.execute(() -> done.complete(null)); // queued after what the timers queued
            tasks.add(done);
        }
        await(tasks);
    }

    private static void await(List<CompletableFuture<Void>> all) {
        try {
            CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the pollers caught up with the clock", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a poller did not run its timers within " + WAIT_SECONDS + " s", e);
        }
    }

    // --- embedded transports' timeouts ----------------------------------------------------------------------

    /** Runs {@code task} on the thread that advances the clock past {@code delay} from now. */
    synchronized Scheduled schedule(Runnable task, long delayNanos) {
        Scheduled s = new Scheduled(now + Math.max(0, delayNanos), sequence++, task);
        scheduled.add(s);
        return s;
    }

    private void runScheduled(long target) {
        for (;;) {
            Scheduled next;
            synchronized (this) {
                next = scheduled.peek();
                if (next == null || next.deadline - target > 0) {
                    return;
                }
                scheduled.poll();
            }
            if (!next.cancelled) {
                next.task.run();
            }
        }
    }

    /** A task due at a time of this clock; cancel it to drop it. */
    static final class Scheduled implements Comparable<Scheduled> {
        final long deadline;
        final long sequence;
        final Runnable task;
        volatile boolean cancelled;

        Scheduled(long deadline, long sequence, Runnable task) {
            this.deadline = deadline;
            this.sequence = sequence;
            this.task = task;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Scheduled o) {
            int c = Long.compare(deadline - o.deadline, 0);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    @Override
    public String toString() {
        return "ManualClock[" + now + " ns]";
    }
}
