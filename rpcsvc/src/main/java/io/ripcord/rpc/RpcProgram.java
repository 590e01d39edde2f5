package io.ripcord.rpc;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A program version (GlusterFS's {@code rpcsvc_program_t}): its number, version, name, and actors by
 * procedure. Immutable; make one with {@link #builder}.
 *
 * <pre>{@code
 * RpcProgram kv = RpcProgram.builder(0x20000B0B, 1, "KV")
 *         .actor(RpcActor.of(0, "NULL", RpcActor.VOID, (call, a) -> call.replyVoid()))
 *         .build();
 * }</pre>
 */
public final class RpcProgram {

    private final int program;
    private final int version;
    private final String name;
    private final RpcActor<?>[] actors;
    private final Executor executor;
    private final RpcProgramListener listener;
    private final SecurityPolicy security;

    private RpcProgram(Builder b) {
        this.program = b.program;
        this.version = b.version;
        this.name = b.name;
        this.actors = b.actors.clone();
        this.executor = b.executor;
        this.listener = b.listener;
        this.security = b.security;
    }

    public static Builder builder(int program, int version, String name) {
        return new Builder(program, version, name);
    }

    public int program() {
        return program;
    }

    public int version() {
        return version;
    }

    public String name() {
        return name;
    }

    /** The actor for {@code procedure}, or {@code null}. */
    public RpcActor<?> actor(int procedure) {
        return procedure >= 0 && procedure < actors.length ? actors[procedure] : null;
    }

    /** One more than the highest procedure number that has an actor (0 if none has). */
    int procedureSlots() {
        return actors.length;
    }

    /** Where its actors run unless they say otherwise; {@code null}: inline on the poller. */
    public Executor executor() {
        return executor;
    }

    public RpcProgramListener listener() {
        return listener;
    }

    /** What a call must meet before any actor runs ({@link SecurityPolicy#ANY} unless the builder set one). */
    public SecurityPolicy security() {
        return security;
    }

    @Override
    public String toString() {
        return name + "(" + Integer.toUnsignedString(program) + " v" + Integer.toUnsignedString(version) + ")";
    }

    /** A builder of {@link RpcProgram}; not thread-safe. */
    public static final class Builder {
        private final int program;
        private final int version;
        private final String name;
        private RpcActor<?>[] actors = new RpcActor<?>[0];
        private Executor executor;
        private RpcProgramListener listener;
        private SecurityPolicy security = SecurityPolicy.ANY;

        private Builder(int program, int version, String name) {
            this.program = program;
            this.version = version;
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Adds an actor; its procedure number must be free. */
        public Builder actor(RpcActor<?> actor) {
            int p = actor.procedure();
            if (p >= 4096) {
                throw new IllegalArgumentException("procedure numbers above 4095 are not supported, got " + p);
            }
            if (p >= actors.length) {
                actors = java.util.Arrays.copyOf(actors, p + 1);
            }
            if (actors[p] != null) {
                throw new IllegalArgumentException(name + " already has procedure " + p + " (" + actors[p].name()
                        + ")");
            }
            actors[p] = actor;
            return this;
        }

        /** Runs every actor (that does not name its own executor) on {@code executor}. */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        public Builder listener(RpcProgramListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * What a call of this version must meet (TLS, a client certificate, an RPCSEC_GSS service...) before its
         * procedure is looked up; a call that does not is denied with AUTH_ERROR and the policy's auth_stat.
         */
        public Builder security(SecurityPolicy policy) {
            this.security = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public RpcProgram build() {
            return new RpcProgram(this);
        }
    }
}
