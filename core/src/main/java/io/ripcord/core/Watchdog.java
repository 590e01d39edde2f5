package io.ripcord.core;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs, with its stack, a poller held by one task or timer, or one round of handlers (the events one select
 * returned, timed together), longer than the limit: a blocked poller is what makes GlusterFS clients hit their
 * ping-timeout, and the stack says which code blocked it.
 * It runs on its own daemon thread and only reads pollers' volatile state.
 */
final class Watchdog implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

    private final EventPool pool;
    private final long limitNanos;
    private volatile boolean stopped;
    private volatile long reports;

    Watchdog(EventPool pool, long limitNanos) {
        this.pool = pool;
        this.limitNanos = limitNanos;
    }

    void stop() {
        stopped = true;
    }

    long reports() {
        return reports;
    }

    @Override
    public void run() {
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), limitNanos / 4);
        while (!stopped && !pool.isTerminated()) {
            try {
                TimeUnit.NANOSECONDS.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Poller p : pool.pollers()) {
                long since = p.busySince();
                if (since != 0 && now - since > limitNanos && p.shouldReport(since)) {
                    Throwable where = new Throwable("stack of " + p);
                    where.setStackTrace(p.thread().getStackTrace());
                    log.warn("{} has been held by one handler or task for {} ms (limit {} ms)", p,
                            TimeUnit.NANOSECONDS.toMillis(now - since), TimeUnit.NANOSECONDS.toMillis(limitNanos),
                            where);
                    record(p, now - since, where.getStackTrace());
                    reports++; // last: a reader that sees the count sees the log line and the event made
                }
            }
        }
    }

    private void record(Poller p, long heldNanos, StackTraceElement[] stack) {
        PollerBlocked e = new PollerBlocked();
        if (!e.isEnabled()) {
            return;
        }
        e.poller = p.toString();
        e.heldNanos = heldNanos;
        e.limitNanos = limitNanos;
        StringBuilder frames = new StringBuilder();
        for (int i = 0; i < Math.min(stack.length, 24); i++) {
            frames.append(stack[i]).append('\n');
        }
        e.stack = frames.toString();
        e.commit();
    }
}
