package io.ripcord.core;

/**
 * A snapshot of one poller's counters, read from any thread. Each counter is exact when read on the poller
 * and at most a few events behind when read elsewhere.
 *
 * @param index            the poller's index in the pool
 * @param selects          calls to {@code select} (blocking or not)
 * @param events           handler calls for readiness (poll-out and poll-in counted apart)
 * @param tasks            tasks and cross-thread commands run
 * @param timersFired      timers whose task ran
 * @param slots            slots owned now
 * @param pendingTimers    timers scheduled and neither fired nor purged yet
 * @param wakeups          {@code Selector.wakeup()} calls made to wake this poller
 * @param staleDropped     events, tasks, timers, interest changes or closes dropped for an older generation
 * @param selectorRebuilds times a spinning selector was replaced
 * @param longestHandlerNanos the longest single task or timer run so far, or round of handlers (those of the
 *                         events one select returned, timed together)
 */
public record PollerMetrics(
        int index,
        long selects,
        long events,
        long tasks,
        long timersFired,
        int slots,
        int pendingTimers,
        long wakeups,
        long staleDropped,
        long selectorRebuilds,
        long longestHandlerNanos) {
}
