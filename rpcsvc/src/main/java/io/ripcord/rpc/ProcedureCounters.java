package io.ripcord.rpc;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live counts of one procedure of a served program version (or of the calls no procedure owns): calls opened,
 * calls ended by {@link ReplyStatus}, and how long they took in {@link LatencyHistogram}'s buckets.
 *
 * <p>Why {@link LongAdder}s: a procedure is counted from every poller that dispatches it and from every executor
 * thread that replies; an adder keeps those threads off one contended cache line, and adding to it allocates
 * nothing once its cells exist (they are made at the first contention, not per call). A call costs three
 * additions when it ends and one when it opens; the calls in flight are the difference of the counts, not a
 * counter of their own.
 *
 * <p>Threads: {@link #opened} on the dispatching poller, {@link #ended} on whichever thread answers the call,
 * {@link #snapshot} from any thread (the counts it reads are each exact, but not taken at one instant).
 */
final class ProcedureCounters {

    private final int procedure;
    private final String name;
    private final LongAdder calls = new LongAdder();
    private final LongAdder[] endings = adders(ReplyStatus.count());
    private final LongAdder[] latency = adders(LatencyHistogram.BUCKETS);
    private final LongAdder latencyNanos = new LongAdder();

    ProcedureCounters(int procedure, String name) {
        this.procedure = procedure;
        this.name = name;
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** The actor's name, or {@code null} for a line that no actor owns. */
    String actorName() {
        return procedure < 0 ? null : name;
    }

    /** A call for this procedure was opened. */
    void opened() {
        calls.increment();
    }

    /**
     * A call ended.
     *
     * @param status its {@link ReplyStatus}'s ordinal
     * @param nanos  how long it took
     */
    void ended(int status, long nanos) {
        endings[status].increment();
        long d = Math.max(0, nanos);
        latency[LatencyHistogram.bucketOf(d)].increment();
        latencyNanos.add(d);
    }

    /** The counts now; the endings are read before the calls, so that no call seems to end before it began. */
    ProcedureMetrics snapshot() {
        Map<ReplyStatus, Long> ended = new EnumMap<>(ReplyStatus.class);
        long endedTotal = 0;
        for (int i = 0; i < endings.length; i++) {
            long n = endings[i].sum();
            ended.put(ReplyStatus.of(i), n);
            endedTotal += n;
        }
        long[] buckets = new long[latency.length];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = latency[i].sum();
        }
        LatencyHistogram histogram = new LatencyHistogram(buckets, latencyNanos.sum());
        long opened = calls.sum();
        return new ProcedureMetrics(procedure, name, opened, Math.max(0, opened - endedTotal), ended, histogram);
    }
}
