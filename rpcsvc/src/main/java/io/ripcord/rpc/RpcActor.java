package io.ripcord.rpc;

import io.ripcord.rpc.xdr.XdrReader;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * One procedure of a program (GlusterFS's {@code rpcsvc_actor_t}): its number, its name, how its arguments
 * decode, what runs it, and where. Immutable.
 *
 * @param <A> the decoded argument type
 */
public final class RpcActor<A> {

    /** Decodes no arguments (the XDR {@code void}). */
    public static final XdrReader<Void> VOID = d -> null;

    /**
     * Accepts and ignores whatever arguments come (GlusterFS's GF-DUMP procedures do not decode theirs);
     * the only reader for which bytes left over are not GARBAGE_ARGS.
     */
    public static final XdrReader<Void> IGNORED = d -> null;

    private final int procedure;
    private final String name;
    private final XdrReader<? extends A> arguments;
    private final RpcHandler<? super A> handler;
    private final Executor executor;

    private RpcActor(int procedure, String name, XdrReader<? extends A> arguments, RpcHandler<? super A> handler,
                     Executor executor) {
        if (procedure < 0) {
            throw new IllegalArgumentException("procedure must not be negative, got " + procedure);
        }
        this.procedure = procedure;
        this.name = Objects.requireNonNull(name, "name");
        this.arguments = Objects.requireNonNull(arguments, "arguments");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.executor = executor;
    }

    /** An actor that runs inline on the connection's poller (or on its program's executor, if it has one). */
    public static <A> RpcActor<A> of(int procedure, String name, XdrReader<? extends A> arguments,
                                     RpcHandler<? super A> handler) {
        return new RpcActor<>(procedure, name, arguments, handler, null);
    }

    /** The same actor run on {@code executor}, whatever its program says. */
    public RpcActor<A> on(Executor executor) {
        return new RpcActor<>(procedure, name, arguments, handler, Objects.requireNonNull(executor, "executor"));
    }

    public int procedure() {
        return procedure;
    }

    public String name() {
        return name;
    }

    XdrReader<? extends A> arguments() {
        return arguments;
    }

    RpcHandler<? super A> handler() {
        return handler;
    }

    /** Where it runs, or {@code null} for its program's choice. */
    public Executor executor() {
        return executor;
    }
}
