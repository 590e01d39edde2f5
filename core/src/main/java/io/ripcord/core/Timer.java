package io.ripcord.core;

import java.util.concurrent.TimeUnit;

/**
 * A task scheduled on a poller for a deadline. Cancel it from any thread; a timer aimed at a slot is
 * dropped without running if that slot was closed (its generation is no longer current) by the deadline.
 */
public final class Timer implements Comparable<Timer> {

    private final Clock clock;
    final long deadlineNanos;
    final long sequence;
    final Runnable task;
    /** The slot it is aimed at, or null for a poller-level timer. */
    final Slot slot;
    final long generation;
    private volatile boolean cancelled;
    /** Owner poller's state: whether it fired (or was dropped). */
    boolean done;

    Timer(Clock clock, long deadlineNanos, long sequence, Runnable task, Slot slot) {
        this.clock = clock;
        this.deadlineNanos = deadlineNanos;
        this.sequence = sequence;
        this.task = task;
        this.slot = slot;
        this.generation = slot == null ? 0 : slot.generation();
    }

    /**
     * Cancels this timer; from any thread.
     *
     * <p>A cancelled timer does not run. Cancelling one that already ran has no effect but still returns
     * {@code true}.
     *
     * @return {@code false} if it was already cancelled
     */
    public boolean cancel() {
        if (cancelled) {
            return false;
        }
        cancelled = true;
        return true;
    }

    /**
     * Whether this timer was cancelled.
     *
     * @return {@code true} once {@link #cancel()} was called, from any thread; not whether it ran
     */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Time left until the deadline, read on the pool's {@link Clock}; from any thread.
     *
     * @param unit the unit of the result
     * @return the time left in {@code unit}, truncated; zero or negative once the deadline passed
     */
    public long delay(TimeUnit unit) {
        return unit.convert(deadlineNanos - clock.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Timer o) {
        long d = deadlineNanos - o.deadlineNanos;
        if (d != 0) {
            return d < 0 ? -1 : 1;
        }
        return Long.compare(sequence, o.sequence);
    }
}
