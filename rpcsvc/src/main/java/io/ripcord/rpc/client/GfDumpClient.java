package io.ripcord.rpc.client;

import io.ripcord.rpc.GfDump;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * GlusterFS's GF-DUMP program from the calling side ({@code rpc/xdr/src/rpc-common-xdr.x}): DUMP lists the
 * programs a listener serves, PING proves the server alive. Works against glusterd and any {@link
 * io.ripcord.rpc.RpcService}. Stateless; from any thread.
 */
public final class GfDumpClient {

    /** Longest program name accepted ({@code string progname<>} has no bound; glusterd's are ~30 bytes). */
    static final int MAX_NAME = 1024;

    private GfDumpClient() {
    }

    /**
     * One {@code gf_prog_detail}: a program the server serves.
     *
     * @param name    the program's name as the server gives it ({@code "GlusterD svc cli"}, {@code "GF-DUMP"})
     * @param program the program number, 0 to 2^32-1 (sent as an unsigned hyper)
     * @param version the program version, sent the same way
     */
    public record Program(String name, long program, long version) {
        /**
         * Checks that the name is present.
         *
         * @param name    the program's name
         * @param program the program number
         * @param version the program version
         * @throws NullPointerException if {@code name} is null
         */
        public Program {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * GF-DUMP DUMP: the programs the server's listener serves, in its order (GF-DUMP first).
     *
     * @param client a caller connected to the server
     * @return completes with the list, or exceptionally with an {@link RpcException} (one naming
     *         {@code op_errno} when the server reports {@code op_ret != 0})
     */
    public static CompletableFuture<List<Program>> dump(RpcCaller client) {
        // gf_dump_req { u_quad_t gfs_id; }: glusterd ignores it; send 0.
        return client.call(GfDump.PROGRAM, GfDump.VERSION, GfDump.DUMP, (e, v) -> e.writeUnsignedHyper(0), null,
                GfDumpClient::readDump).thenCompose(r -> {
                    if (r.opRet != 0) {
                        return CompletableFuture.failedFuture(new RpcException("GF-DUMP DUMP failed: op_ret "
                                + r.opRet + ", op_errno " + r.opErrno));
                    }
                    return CompletableFuture.completedFuture(r.programs);
                });
    }

    /**
     * GF-DUMP PING: proves the server alive. Its {@code gf_common_rsp} fields are not checked.
     *
     * @param client a caller connected to the server
     * @return completes with {@code null} when the server answers, or exceptionally with an {@link RpcException}
     *         (a {@link ProgramUnavailableException} from a server without GF-DUMP)
     */
    public static CompletableFuture<Void> ping(RpcCaller client) {
        return client.<Object, Void>call(GfDump.PROGRAM, GfDump.VERSION, GfDump.PING, (e, v) -> { }, null,
                RpcActor.IGNORED);
    }

    /** {@code gf_dump_rsp { u_quad_t gfs_id; int op_ret; int op_errno; gf_prog_detail *prog; }}. */
    static DumpReply readDump(XdrDecoder d) throws XdrException {
        d.readUnsignedHyper();      // gfs_id
        int opRet = d.readInt();
        int opErrno = d.readInt();
        List<Program> programs = new ArrayList<>();
        while (d.readBoolean()) {   // the optional-data linked list (RFC 4506 section 4.19)
            programs.add(new Program(d.readString(MAX_NAME), d.readUnsignedHyper(), d.readUnsignedHyper()));
        }
        return new DumpReply(opRet, opErrno, Collections.unmodifiableList(programs));
    }

    static final class DumpReply {
        final int opRet;
        final int opErrno;
        final List<Program> programs;

        DumpReply(int opRet, int opErrno, List<Program> programs) {
            this.opRet = opRet;
            this.opErrno = opErrno;
            this.programs = programs;
        }
    }
}
