package io.ripcord.core;

/**
 * Where an event pool reads the time its timers run by ({@link EventPoolOptions.Builder#clock}), and where code
 * on the pool's pollers reads it to measure timeouts: nanoseconds from an arbitrary origin that never go back,
 * the contract of {@link System#nanoTime()}.
 *
 * <p>The default is the system's clock. A test gives the pool a clock it moves by hand (the test kit's
 * {@code ManualClock}), so that idle, frame and call timeouts fire when the test says, not after real waiting.
 * Only timers follow this clock: the watchdog and the shutdown's quiet period measure real time.
 *
 * <p>Thread rules: called from any thread, concurrently; an implementation must be thread-safe and must not
 * block.
 */
@FunctionalInterface
public interface Clock {

    /**
     * Reads the clock.
     *
     * @return the time in nanoseconds from this clock's arbitrary origin: only the difference between two readings
     *     of the same clock means anything (elapsed time), and it may overflow, so compare with {@code a - b < 0}
     */
    long nanoTime();

    /**
     * The system's monotonic clock, the pool's default.
     *
     * @return the one clock that reads {@link System#nanoTime()}
     */
    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /** {@link System#nanoTime()}; one instance, so the common case costs one well-predicted call. */
    enum SystemClock implements Clock {
        /** The only instance; {@link Clock#system()} returns it. */
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    }
}
