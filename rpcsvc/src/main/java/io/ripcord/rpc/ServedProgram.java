package io.ripcord.rpc;

import java.util.ArrayList;
import java.util.List;

/**
 * A program version as one {@link RpcService} serves it: the program and the counts of its procedures, which live
 * as long as the version stays registered (a table replaced by another registration keeps them).
 *
 * <p>Threads: immutable but for the counters (see {@link ProcedureCounters}).
 */
final class ServedProgram {

    private final RpcProgram program;
    /** By procedure number; {@code null} where the program has no actor. */
    private final ProcedureCounters[] procedures;
    private final ProcedureCounters unknown = new ProcedureCounters(-1, "(unknown procedures)");

    ServedProgram(RpcProgram program) {
        this.program = program;
        this.procedures = new ProcedureCounters[program.procedureSlots()];
        for (int p = 0; p < procedures.length; p++) {
            RpcActor<?> a = program.actor(p);
            if (a != null) {
                procedures[p] = new ProcedureCounters(p, a.name());
            }
        }
    }

    RpcProgram program() {
        return program;
    }

    /** The counters of {@code procedure}, or of the calls to procedures the program lacks. */
    ProcedureCounters counters(int procedure) {
        ProcedureCounters c = procedure >= 0 && procedure < procedures.length ? procedures[procedure] : null;
        return c != null ? c : unknown;
    }

    ProgramMetrics snapshot() {
        List<ProcedureMetrics> ps = new ArrayList<>();
        for (ProcedureCounters c : procedures) {
            if (c != null) {
                ps.add(c.snapshot());
            }
        }
        return new ProgramMetrics(program.program(), program.version(), program.name(), ps, unknown.snapshot());
    }
}
