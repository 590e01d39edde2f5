package io.ripcord.rpc;

import java.time.Duration;
import java.util.Arrays;

/**
 * How long calls took, counted in fixed buckets on a log scale: bucket 0 holds the calls under 1,024 ns, bucket
 * {@code i} (1 to 30) those from 2<sup>9+i</sup> to 2<sup>10+i</sup> ns, and the last every call from
 * 2<sup>40</sup> ns (about 18 minutes) on. Each bucket's bounds are a factor of two apart, so a percentile read
 * from it is exact to that factor: enough to tell microseconds from milliseconds from seconds, which is what a
 * statedump is for; a benchmark wants its own recorder.
 *
 * <p>A call's time runs from the start of the poller's work that read it (the select round, so a call that waited
 * behind others read in the same round counts that wait) to the moment its reply was handed to the connection
 * (written, when it could be written at once), or it was dropped.
 *
 * <p>Immutable; a snapshot of {@link ProcedureMetrics}.
 */
public final class LatencyHistogram {

    /** How many buckets every histogram has. */
    public static final int BUCKETS = 32;
    /** Bucket 0's upper bound, 2<sup>10</sup> ns. */
    private static final int FIRST_BOUND_BITS = 10;

    private final long[] counts;
    private final long totalNanos;

    LatencyHistogram(long[] counts, long totalNanos) {
        if (counts.length != BUCKETS) {
            throw new IllegalArgumentException(counts.length + " buckets, not " + BUCKETS);
        }
        this.counts = counts.clone();
        this.totalNanos = totalNanos;
    }

    /** The bucket of a call that took {@code nanos} (at least 0). */
    static int bucketOf(long nanos) {
        int b = Long.SIZE - FIRST_BOUND_BITS - Long.numberOfLeadingZeros(nanos);
        return b <= 0 ? 0 : Math.min(b, BUCKETS - 1);
    }

    /**
     * The calls counted in one bucket.
     *
     * @param bucket from 0 to {@link #BUCKETS} - 1
     * @return how many calls took from {@link #lowerBoundNanos(int)} up to (not including)
     *         {@link #upperBoundNanos(int)}
     * @throws IndexOutOfBoundsException if there is no such bucket
     */
    public long count(int bucket) {
        return counts[bucket];
    }

    /**
     * Where a bucket begins.
     *
     * @param bucket from 0 to {@link #BUCKETS} - 1
     * @return the shortest time it holds, in nanoseconds (0 for bucket 0)
     * @throws IndexOutOfBoundsException if there is no such bucket
     */
    public static long lowerBoundNanos(int bucket) {
        checkBucket(bucket);
        return bucket == 0 ? 0 : 1L << (FIRST_BOUND_BITS + bucket - 1);
    }

    /**
     * Where a bucket ends.
     *
     * @param bucket from 0 to {@link #BUCKETS} - 1
     * @return the time, in nanoseconds, from which calls go to the next bucket; {@link Long#MAX_VALUE} for the last
     * @throws IndexOutOfBoundsException if there is no such bucket
     */
    public static long upperBoundNanos(int bucket) {
        checkBucket(bucket);
        return bucket == BUCKETS - 1 ? Long.MAX_VALUE : 1L << (FIRST_BOUND_BITS + bucket);
    }

    private static void checkBucket(int bucket) {
        if (bucket < 0 || bucket >= BUCKETS) {
            throw new IndexOutOfBoundsException("bucket " + bucket + " of " + BUCKETS);
        }
    }

    /**
     * Every call counted.
     *
     * @return the sum of the buckets
     */
    public long totalCount() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /**
     * The calls' times added up.
     *
     * @return nanoseconds
     */
    public long totalNanos() {
        return totalNanos;
    }

    /**
     * The mean time of a call.
     *
     * @return {@link Duration#ZERO} if no call was counted
     */
    public Duration mean() {
        long n = totalCount();
        return n == 0 ? Duration.ZERO : Duration.ofNanos(totalNanos / n);
    }

    /**
     * The upper bound of the bucket that holds a percentile: at least {@code fraction} of the calls took less.
     *
     * @param fraction from 0 (exclusive) to 1 (inclusive): 0.5 for the median, 0.99 for the 99th percentile
     * @return nanoseconds, {@link Long#MAX_VALUE} if the percentile falls in the last bucket, 0 if no call was
     *         counted
     * @throws IllegalArgumentException if {@code fraction} is out of range
     */
    public long percentileUpperBoundNanos(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        long n = totalCount();
        if (n == 0) {
            return 0;
        }
        long wanted = (long) Math.ceil(fraction * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= wanted) {
                return upperBoundNanos(i);
            }
        }
        return Long.MAX_VALUE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencyHistogram && ((LatencyHistogram) o).totalNanos == totalNanos
                && Arrays.equals(((LatencyHistogram) o).counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts) * 31 + Long.hashCode(totalNanos);
    }

    /** For a statedump: the count, the mean and the bucket bounds of the median, the 99th percentile and the maximum. */
    @Override
    public String toString() {
        long n = totalCount();
        if (n == 0) {
            return "no calls";
        }
        return "mean " + micros(mean().toNanos()) + ", p50 < " + micros(percentileUpperBoundNanos(0.5)) + ", p99 < "
                + micros(percentileUpperBoundNanos(0.99)) + ", max < " + micros(percentileUpperBoundNanos(1));
    }

    private static String micros(long nanos) {
        return nanos == Long.MAX_VALUE ? "inf" : nanos < 10_000 ? nanos + " ns" : nanos / 1000 + " us";
    }
}
