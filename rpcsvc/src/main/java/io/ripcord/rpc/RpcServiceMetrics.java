package io.ripcord.rpc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link RpcService} has served, per program version and procedure: {@link RpcService#metrics()}.
 * Immutable; each count is exact, but they are not all read at one instant.
 *
 * @param programs  each registered program version, in registration order; unmodifiable
 * @param unmatched the calls no registered program version owns: to an unknown program (PROG_UNAVAIL) or version
 *                  (PROG_MISMATCH), and calls refused before their program was known (RPC_MISMATCH, a header cut
 *                  short)
 */
public record RpcServiceMetrics(List<ProgramMetrics> programs, ProcedureMetrics unmatched) {

    /**
     * Checks and copies.
     *
     * @param programs  each registered program version's counts; copied
     * @param unmatched the calls no registered program version owns
     * @throws NullPointerException if a part is missing
     */
    public RpcServiceMetrics {
        programs = List.copyOf(programs);
        Objects.requireNonNull(unmatched, "unmatched");
    }

    /**
     * One program version's counts.
     *
     * @param program the program number
     * @param version the version
     * @return its counts, or empty if the service does not serve it
     */
    public Optional<ProgramMetrics> program(int program, int version) {
        for (ProgramMetrics p : programs) {
            if (p.program() == program && p.version() == version) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * One procedure's counts.
     *
     * @param program   the program number
     * @param version   the version
     * @param procedure the procedure
     * @return its counts, or empty if the service has no such procedure
     */
    public Optional<ProcedureMetrics> procedure(int program, int version, int procedure) {
        return program(program, version).flatMap(p -> p.procedure(procedure));
    }

    /** For a statedump: every program version (see {@link ProgramMetrics#toString()}), then the unmatched calls. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (ProgramMetrics p : programs) {
            b.append(p).append('\n');
        }
        return b.append(unmatched).toString();
    }
}
