package io.ripcord.rpc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The counts of one served program version, per procedure, at the moment {@link RpcService#metrics()} read them.
 *
 * @param program           the program number
 * @param version           the version
 * @param name              the program's name
 * @param procedures        one entry per procedure the version has, by number; unmodifiable
 * @param unknownProcedures the calls to procedures the version does not have (each answered PROC_UNAVAIL, unless
 *                          refused before the lookup)
 */
public record ProgramMetrics(int program, int version, String name, List<ProcedureMetrics> procedures,
                             ProcedureMetrics unknownProcedures) {

    /**
     * Checks and copies.
     *
     * @param program           the program number
     * @param version           the version
     * @param name              the program's name
     * @param procedures        the procedures' counts, by number; copied
     * @param unknownProcedures the calls to procedures the version does not have
     * @throws NullPointerException if a part is missing
     */
    public ProgramMetrics {
        Objects.requireNonNull(name, "name");
        procedures = List.copyOf(procedures);
        Objects.requireNonNull(unknownProcedures, "unknownProcedures");
    }

    /**
     * One procedure's counts.
     *
     * @param procedure the procedure's number
     * @return its counts, or empty if the version has no such procedure
     */
    public Optional<ProcedureMetrics> procedure(int procedure) {
        for (ProcedureMetrics p : procedures) {
            if (p.procedure() == procedure) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Every call to this version, to its procedures and to those it lacks.
     *
     * @return the sum of the calls
     */
    public long calls() {
        long n = unknownProcedures.calls();
        for (ProcedureMetrics p : procedures) {
            n += p.calls();
        }
        return n;
    }

    /**
     * The calls to this version not yet ended.
     *
     * @return the sum of the calls in flight
     */
    public long inFlight() {
        long n = unknownProcedures.inFlight();
        for (ProcedureMetrics p : procedures) {
            n += p.inFlight();
        }
        return n;
    }

    /**
     * For a statedump: a line for the version, then one per procedure that was called (indented), and one for the
     * calls to unknown procedures if there were any.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name).append(" (").append(Integer.toUnsignedString(program)).append(" v")
                .append(Integer.toUnsignedString(version)).append("): calls ").append(calls()).append(", in flight ")
                .append(inFlight());
        for (ProcedureMetrics p : procedures) {
            if (p.calls() != 0) {
                b.append("\n  ").append(p);
            }
        }
        if (unknownProcedures.calls() != 0) {
            b.append("\n  ").append(unknownProcedures);
        }
        return b.toString();
    }
}
