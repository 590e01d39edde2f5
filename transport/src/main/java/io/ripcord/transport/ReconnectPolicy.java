package io.ripcord.transport;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: attempt {@code n} (from 1) waits
 * {@code min(max, initial * multiplier^(n-1))}, spread by up to {@code ±jitter} of itself so that many clients
 * cut off together do not come back together. Immutable and thread-safe.
 */
public final class ReconnectPolicy {

    private final Duration initialDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final double jitter;
    private final int maxAttempts;

    private ReconnectPolicy(Duration initialDelay, Duration maxDelay, double multiplier, double jitter,
                            int maxAttempts) {
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.maxAttempts = maxAttempts;
    }

    /**
     * A policy that retries with exponential backoff and jitter.
     *
     * @param initialDelay the wait before the first retry
     * @param maxDelay     the longest wait
     * @param multiplier   growth per attempt, at least 1
     * @param jitter       fraction of randomness, 0 to 1
     * @param maxAttempts  retries before giving up (so at most {@code maxAttempts + 1} connects); 0 for no limit
     * @return the policy
     * @throws IllegalArgumentException if {@code initialDelay} is not positive, {@code maxDelay} is below it, or
     *     {@code multiplier}, {@code jitter} or {@code maxAttempts} is out of its range
     */
    public static ReconnectPolicy exponential(Duration initialDelay, Duration maxDelay, double multiplier,
                                              double jitter, int maxAttempts) {
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("initialDelay must be positive, got " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay " + maxDelay + " is below initialDelay " + initialDelay);
        }
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("multiplier must be at least 1, got " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be within [0, 1], got " + jitter);
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts must not be negative, got " + maxAttempts);
        }
        return new ReconnectPolicy(initialDelay, maxDelay, multiplier, jitter, maxAttempts);
    }

    /**
     * The usual choice for a client that must get through.
     *
     * @return a policy that waits 100 ms doubling to 30 s, with 20% jitter, and never gives up
     */
    public static ReconnectPolicy defaults() {
        return exponential(Duration.ofMillis(100), Duration.ofSeconds(30), 2.0, 0.2, 0);
    }

    /**
     * Whether another retry may follow a failed connect.
     *
     * @param attempt the number of the retry asked for, from 1 (the first retry, after the first connect failed)
     * @return {@code true} if there is no limit or {@code attempt} is within it
     */
    public boolean allows(int attempt) {
        return maxAttempts == 0 || attempt <= maxAttempts;
    }

    /**
     * How long to wait before a retry. Random within the jitter: two calls give different answers.
     *
     * @param attempt the number of the retry, from 1
     * @return the wait in nanoseconds, jitter included, never negative
     */
    public long delayNanos(int attempt) {
        double base = initialDelay.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
        double capped = Math.min(base, (double) maxDelay.toNanos());
        double spread = jitter == 0 ? 0 : (ThreadLocalRandom.current().nextDouble() * 2 - 1) * jitter * capped;
        return Math.max(0, (long) (capped + spread));
    }

    /**
     * The wait before the first retry, before jitter.
     *
     * @return the initial delay, positive
     */
    public Duration initialDelay() {
        return initialDelay;
    }

    /**
     * The longest wait between two attempts, before jitter.
     *
     * @return the cap on the delay
     */
    public Duration maxDelay() {
        return maxDelay;
    }

    /**
     * How many retries are made before the connect fails.
     *
     * @return the number of retries, or 0 for no limit
     */
    public int maxAttempts() {
        return maxAttempts;
    }
}
