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
     * @param initialDelay the wait before the first retry
     * @param maxDelay     the longest wait
     * @param multiplier   growth per attempt, at least 1
     * @param jitter       fraction of randomness, 0 to 1
     * @param maxAttempts  retries before giving up; 0 for no limit
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

    /** 100 ms doubling to 30 s, 20% jitter, no attempt limit. */
    public static ReconnectPolicy defaults() {
        return exponential(Duration.ofMillis(100), Duration.ofSeconds(30), 2.0, 0.2, 0);
    }

    /** Whether attempt {@code n} (from 1) may be made. */
    public boolean allows(int attempt) {
        return maxAttempts == 0 || attempt <= maxAttempts;
    }

    /** The wait before retry {@code attempt} (from 1), in nanoseconds, jitter included. */
    public long delayNanos(int attempt) {
        double base = initialDelay.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
        double capped = Math.min(base, (double) maxDelay.toNanos());
        double spread = jitter == 0 ? 0 : (ThreadLocalRandom.current().nextDouble() * 2 - 1) * jitter * capped;
        return Math.max(0, (long) (capped + spread));
    }

    public Duration initialDelay() {
        return initialDelay;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    public int maxAttempts() {
        return maxAttempts;
    }
}
