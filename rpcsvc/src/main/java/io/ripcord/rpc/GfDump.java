package io.ripcord.rpc;

import io.ripcord.rpc.xdr.XdrEncoder;
import java.util.List;

/**
 * GlusterFS's GF-DUMP program (123451501 version 1, {@code rpc/xdr/src/rpc-common-xdr.x}), which every
 * {@link RpcService} registers as GlusterFS's {@code rpcsvc_init} does:
 * <ul>
 * <li>NULL (0): a void reply. Real glusterd 10.3 answers PROC_UNAVAIL here; we follow RFC 5531, which makes
 * procedure 0 of every version NULL, so that {@code rpcinfo} can probe the program.</li>
 * <li>DUMP (1): {@code gf_dump_rsp { u_quad_t gfs_id; int op_ret; int op_errno; gf_prog_detail *prog; }} with
 * {@code gf_prog_detail { string progname<>; u_quad_t prognum; u_quad_t progver; gf_prog_detail *next; }}, one
 * entry per registered program in registration order, GF-DUMP first. Its argument ({@code gf_dump_req}) is
 * ignored and {@code gfs_id} is 0, byte for byte what glusterd sends.</li>
 * <li>PING (2): {@code gf_common_rsp { int op_ret; int op_errno; opaque xdata<>; }}, all zero; arguments
 * ignored, as glusterd does.</li>
 * </ul>
 */
public final class GfDump {

    /** The program number, GlusterFS's {@code GLUSTER_DUMP_PROGRAM}. */
    public static final int PROGRAM = 123451501;
    /** The only version, GlusterFS's {@code GLUSTER_DUMP_VERSION}. */
    public static final int VERSION = 1;
    /** Procedure 0: NULL, a void reply. */
    public static final int NULL = 0;
    /** Procedure 1: {@code GF_DUMP_DUMP}, the list of registered programs. */
    public static final int DUMP = 1;
    /** Procedure 2: {@code GF_DUMP_PING}, an all-zero {@code gf_common_rsp}. */
    public static final int PING = 2;
    /** The program's name in DUMP replies and in logs, as glusterd names it. */
    public static final String NAME = "GF-DUMP";

    private GfDump() {
    }

    static RpcProgram program(RpcService service) {
        return RpcProgram.builder(PROGRAM, VERSION, NAME)
                .actor(RpcActor.of(NULL, "NULL", RpcActor.VOID, (call, a) -> call.replyVoid()).repliesInline())
                .actor(RpcActor.of(DUMP, "DUMP", RpcActor.IGNORED, (call, a) ->
                        call.reply(service.programs(), GfDump::writeDump)).repliesInline())
                .actor(RpcActor.of(PING, "PING", RpcActor.IGNORED, (call, a) ->
                        call.reply(null, GfDump::writePing)).repliesInline())
                .build();
    }

    static void writeDump(XdrEncoder e, List<RpcProgram> programs) {
        e.writeUnsignedHyper(0);   // gfs_id: glusterd does not echo the request's
        e.writeInt(0);             // op_ret
        e.writeInt(0);             // op_errno
        for (RpcProgram p : programs) {
            e.writeBoolean(true);
            e.writeString(p.name(), Integer.MAX_VALUE);
            e.writeUnsignedHyper(Integer.toUnsignedLong(p.program()));
            e.writeUnsignedHyper(Integer.toUnsignedLong(p.version()));
        }
        e.writeBoolean(false);
    }

    static void writePing(XdrEncoder e, Object ignored) {
        e.writeInt(0);             // op_ret
        e.writeInt(0);             // op_errno
        e.writeInt(0);             // xdata: empty opaque
    }
}
