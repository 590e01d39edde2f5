package io.ripcord.rpc;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR: one call an {@link RpcService} served, from the moment dispatch opened it to its reply (or its drop), with
 * what it called and how it ended. The event's own start time and duration time it; the thread is the one that
 * answered (an executor's, for an actor that runs on one). The stack is left out: it is always dispatch's, or the
 * actor's reply.
 *
 * <p>{@link #PROBE} answers {@link #isEnabled()} without allocating: dispatch makes an event only when a recording
 * wants it, so a call costs nothing extra when nobody records (and a call opened before the recording began has
 * none).
 */
@Name("io.ripcord.RpcCall")
@Label("RPC Call")
@Category({"Ripcord", "RPC"})
@Description("A call served by an RpcService, from its dispatch to its reply")
@StackTrace(false)
final class RpcCallEvent extends jdk.jfr.Event {

    /** Asked whether events are wanted; never committed. */
    static final RpcCallEvent PROBE = new RpcCallEvent();

    @Label("Program")
    long program;

    @Label("Version")
    long version;

    @Label("Procedure")
    long procedure;

    @Label("Procedure Name")
    @Description("The actor's name, when the program has one for the procedure")
    String procedureName;

    @Label("XID")
    @Description("The call's transaction id, unsigned")
    long xid;

    @Label("Status")
    @Description("How it ended: SUCCESS, an accept_stat, RPC_MISMATCH, an auth_stat, or DROPPED")
    String status;

    @Label("Remote Address")
    String remote;

    /** An event that starts its clock now, if a recording wants one; else {@code null}. On the poller. */
    static RpcCallEvent beginIfRecording() {
        if (!PROBE.isEnabled()) {
            return null;
        }
        RpcCallEvent e = new RpcCallEvent();
        e.begin();
        return e;
    }

    /** Ends and commits the event of {@code call}, which ended with {@code status}. */
    void finish(RpcCall call, ReplyStatus status, String name) {
        end();
        if (!shouldCommit()) {
            return;
        }
        program = Integer.toUnsignedLong(call.program());
        version = Integer.toUnsignedLong(call.version());
        procedure = Integer.toUnsignedLong(call.procedure());
        procedureName = name;
        xid = Integer.toUnsignedLong(call.xid());
        this.status = status.name();
        remote = String.valueOf(call.remoteAddress());
        commit();
    }
}
