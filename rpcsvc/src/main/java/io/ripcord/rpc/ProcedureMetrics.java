package io.ripcord.rpc;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The counts of one procedure of a served program version, at the moment {@link RpcService#metrics()} read them.
 *
 * @param procedure the procedure's number; -1 for a line that counts calls no procedure owns (to procedures a
 *                  program lacks, or to no registered program at all)
 * @param name      the actor's name, or what the line counts
 * @param calls     calls received since the program was registered
 * @param inFlight  calls received and not yet ended (answered or dropped)
 * @param endings   how the calls that ended did, every {@link ReplyStatus} present (0 for those that never
 *                  happened); unmodifiable
 * @param latency   how long the calls that ended took
 */
public record ProcedureMetrics(int procedure, String name, long calls, long inFlight, Map<ReplyStatus, Long> endings,
                               LatencyHistogram latency) {

    /**
     * Checks and copies: {@code endings} gets a 0 for every status it lacks.
     *
     * @param procedure the procedure's number, or -1
     * @param name      the actor's name, or what the line counts
     * @param calls     calls received
     * @param inFlight  calls not yet ended
     * @param endings   counts by status; statuses missing from it count 0
     * @param latency   how long the ended calls took
     * @throws NullPointerException if a map, name or histogram is missing
     */
    public ProcedureMetrics {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(latency, "latency");
        EnumMap<ReplyStatus, Long> all = new EnumMap<>(ReplyStatus.class);
        for (ReplyStatus s : ReplyStatus.values()) {
            all.put(s, 0L);
        }
        all.putAll(endings);
        endings = Collections.unmodifiableMap(all);
    }

    /**
     * The calls that ended with one status.
     *
     * @param status how they ended
     * @return how many
     */
    public long endings(ReplyStatus status) {
        return endings.get(status);
    }

    /**
     * The calls that ended, whatever their status.
     *
     * @return the sum of {@link #endings()}
     */
    public long ended() {
        long n = 0;
        for (long c : endings.values()) {
            n += c;
        }
        return n;
    }

    /**
     * The calls denied for their credential or verifier, whatever the {@code auth_stat}.
     *
     * @return the sum of the {@linkplain ReplyStatus#isAuthError() AUTH_ERROR} statuses
     */
    public long authErrors() {
        long n = 0;
        for (Map.Entry<ReplyStatus, Long> e : endings.entrySet()) {
            if (e.getKey().isAuthError()) {
                n += e.getValue();
            }
        }
        return n;
    }

    /** One statedump line: the name, the counts, the statuses that happened, the latency. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(procedure < 0 ? name : procedure + " " + name).append(": calls ")
                .append(calls).append(", in flight ").append(inFlight);
        for (Map.Entry<ReplyStatus, Long> e : endings.entrySet()) {
            if (e.getValue() != 0) {
                b.append(", ").append(e.getKey()).append(' ').append(e.getValue());
            }
        }
        return b.append(", latency ").append(latency).toString();
    }
}
