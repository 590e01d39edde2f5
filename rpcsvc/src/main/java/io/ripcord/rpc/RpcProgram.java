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

    /**
     * Starts a program version with no actors, no executor (actors run inline on the poller), no listener and
     * {@link SecurityPolicy#ANY}.
     *
     * @param program the program number (RFC 5531 section 7.3: 0x20000000 to 0x3fffffff for a site's own)
     * @param version the program version
     * @param name    the name logs, metrics and statedumps show; not {@code null}
     * @return a new builder
     * @throws NullPointerException if {@code name} is null
     */
    public static Builder builder(int program, int version, String name) {
        return new Builder(program, version, name);
    }

    /**
     * The program number.
     *
     * @return the number (unsigned 32-bit in an {@code int})
     */
    public int program() {
        return program;
    }

    /**
     * The program version.
     *
     * @return the version (unsigned 32-bit in an {@code int})
     */
    public int version() {
        return version;
    }

    /**
     * The program's name, for people.
     *
     * @return the name given to {@link #builder}
     */
    public String name() {
        return name;
    }

    /**
     * The actor for {@code procedure}.
     *
     * @param procedure the procedure number
     * @return the actor, or {@code null} if the program has none for it (the call is answered PROC_UNAVAIL)
     */
    public RpcActor<?> actor(int procedure) {
        return procedure >= 0 && procedure < actors.length ? actors[procedure] : null;
    }

    /** One more than the highest procedure number that has an actor (0 if none has). */
    int procedureSlots() {
        return actors.length;
    }

    /**
     * Where its actors run unless they name their own executor.
     *
     * @return the executor, or {@code null} when actors run inline on the connection's poller
     */
    public Executor executor() {
        return executor;
    }

    /**
     * What hears about the service's connections on behalf of this program.
     *
     * @return the listener, or {@code null} if the builder set none
     */
    public RpcProgramListener listener() {
        return listener;
    }

    /**
     * What a call must meet before any actor runs.
     *
     * @return the policy; {@link SecurityPolicy#ANY} unless the builder set one
     */
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

        /**
         * Adds an actor; its procedure number must be free.
         *
         * @param actor the actor of one procedure
         * @return this builder
         * @throws IllegalArgumentException if the program has an actor for that procedure already, or the
         *                                  procedure number is above 4095 (actors are kept in an array by number)
         */
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

        /**
         * Runs every actor (that does not name its own executor) on {@code executor} instead of the poller: for
         * actors that block or take long.
         *
         * @param executor the executor, or {@code null} (the default) to run actors inline on the poller
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /**
         * Tells {@code listener} about the service's connections: accepted, identified, disconnected, destroyed.
         *
         * @param listener the listener, called on each connection's owner poller; or {@code null} (the default)
         * @return this builder
         */
        public Builder listener(RpcProgramListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * What a call of this version must meet (TLS, a client certificate, an RPCSEC_GSS service...) before its
         * procedure is looked up; a call that does not is denied with AUTH_ERROR and the policy's auth_stat.
         *
         * @param policy the policy; not {@code null} ({@link SecurityPolicy#ANY}, the default, to accept all)
         * @return this builder
         * @throws NullPointerException if {@code policy} is null
         */
        public Builder security(SecurityPolicy policy) {
            this.security = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Makes the program version; the builder can go on to make more.
         *
         * @return an immutable program version with the actors added so far
         */
        public RpcProgram build() {
            return new RpcProgram(this);
        }
    }
}
