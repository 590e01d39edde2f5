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
    private final boolean repliesInline;

    private RpcActor(int procedure, String name, XdrReader<? extends A> arguments, RpcHandler<? super A> handler,
                     Executor executor, boolean repliesInline) {
        if (procedure < 0) {
            throw new IllegalArgumentException("procedure must not be negative, got " + procedure);
        }
        this.procedure = procedure;
        this.name = Objects.requireNonNull(name, "name");
        this.arguments = Objects.requireNonNull(arguments, "arguments");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.executor = executor;
        this.repliesInline = repliesInline;
    }

    /**
     * An actor that runs inline on the connection's poller (or on its program's executor, if it has one).
     *
     * @param procedure the procedure number, 0 to 4095 (0 is NULL)
     * @param name      the procedure's name for logs and metrics
     * @param arguments decodes the arguments; it must consume them all unless it is {@link #IGNORED} (bytes
     *                  left over, or an {@link io.ripcord.rpc.xdr.XdrException}, answer GARBAGE_ARGS)
     * @param handler   runs the procedure and replies
     * @param <A>       the decoded argument type
     * @return a new actor
     * @throws IllegalArgumentException if {@code procedure} is negative
     * @throws NullPointerException     if {@code name}, {@code arguments} or {@code handler} is null
     */
    public static <A> RpcActor<A> of(int procedure, String name, XdrReader<? extends A> arguments,
                                     RpcHandler<? super A> handler) {
        return new RpcActor<>(procedure, name, arguments, handler, null, false);
    }

    /**
     * The same actor run on {@code executor}, whatever its program says.
     *
     * @param executor where the handler runs (arguments are decoded on the poller first); not {@code null}
     * @return a new actor; this one is left as it is
     * @throws NullPointerException if {@code executor} is null
     */
    public RpcActor<A> on(Executor executor) {
        return new RpcActor<>(procedure, name, arguments, handler, Objects.requireNonNull(executor, "executor"),
                repliesInline);
    }

    /**
     * The same actor, declared to answer every call before its handler returns (with a reply, or
     * {@link RpcCall#drop()}) and to keep no reference to the call once it has returned. The service may then use
     * the call's {@link RpcCall} and {@link CallHeader} again for a later call on the same poller, once the reply is
     * written, so that such a call costs no allocation at all (GF-DUMP's procedures are declared so). A handler
     * that answers later after all is safe: its call is simply not reused. One that keeps the call and touches it
     * after returning would see a later call's data, or answer it. No effect on an actor that runs on an executor.
     *
     * @return a new actor; this one is left as it is
     */
    public RpcActor<A> repliesInline() {
        return new RpcActor<>(procedure, name, arguments, handler, executor, true);
    }

    /**
     * The procedure this actor serves.
     *
     * @return the procedure number, 0 or more
     */
    public int procedure() {
        return procedure;
    }

    /**
     * The procedure's name, for logs and metrics.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    XdrReader<? extends A> arguments() {
        return arguments;
    }

    RpcHandler<? super A> handler() {
        return handler;
    }

    /**
     * Whether it was declared to answer before it returns and keep no call ({@link #repliesInline()}).
     *
     * @return {@code true} if declared so
     */
    public boolean isReplyingInline() {
        return repliesInline;
    }

    /**
     * Where it runs.
     *
     * @return the executor given to {@link #on(Executor)}, or {@code null} for its program's choice
     */
    public Executor executor() {
        return executor;
    }
}
