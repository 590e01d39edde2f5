package io.ripcord.examples.glusterd;

import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GlusterFS CLI program (1238463 version 2, {@code rpc/rpc-lib/src/protocol-common.h}
 * {@code gluster_cli_procnum}) as glusterd 10.3 serves it to the {@code gluster} command: peer status, pool
 * list, volume create, info, list, start, stop and delete. Requests are {@code gf_cli_req { opaque dict<>; }}
 * (peer listing: {@code gf1_cli_peer_list_req { int flags; opaque dict<>; }}); replies are
 * {@code gf_cli_rsp { int op_ret; int op_errno; string op_errstr<>; opaque dict<>; }} (peer listing:
 * {@code gf1_cli_peer_list_rsp { int op_ret; int op_errno; opaque friends<>; }}). The dictionaries hold what
 * the CLI prints, key for key as glusterd fills them (see the transcripts under
 * {@code examples/src/test/resources/glusterd/}).
 *
 * <p>Any other procedure gets PROC_UNAVAIL, as a real glusterd gives to a write operation on its TCP
 * listener: the CLI then exits 1 without output.
 *
 * <p>glusterd serves two tables under the same number: the full one on its Unix socket and a read-only one
 * (peer listing, volume info and list) on TCP, where a write gets PROC_UNAVAIL. {@link #full} and
 * {@link #readOnly} build them.
 *
 * <p>Thread rules: the actors run on the executor given to the builders (one thread: operations are
 * serialized like glusterd's big lock, and the state file is written off the pollers).
 */
public final class GlusterCliProgram {

    public static final int PROGRAM = 1238463;
    public static final int VERSION = 2;

    /** {@code gluster_cli_procnum} numbers this endpoint implements. */
    public static final int NULL = 0;
    public static final int LIST_FRIENDS = 3;
    public static final int CREATE_VOLUME = 4;
    public static final int GET_VOLUME = 5;
    public static final int DELETE_VOLUME = 7;
    public static final int START_VOLUME = 8;
    public static final int STOP_VOLUME = 9;
    public static final int LIST_VOLUME = 33;

    /** {@code gf1_cli_get_volume} flags in the {@code flags} key of GET_VOLUME. */
    static final int GET_VOLUME_ALL = 1;
    static final int GET_VOLUME_ONE = 2;
    static final int GET_NEXT_VOLUME = 3;

    /** {@code gf_cli_enum} LIST_FRIENDS flags: pool list asks for the local node too. */
    static final int LIST_POOL_NODES = 2;

    /** {@code glusterd-errno.h}: internal error (most operation failures) and "volume does not exist". */
    static final int EG_INTRNL = 30800;
    static final int EG_NOVOL = 30806;

    /** {@code GF_CLI_FLAG_OP_FORCE} in the {@code flags} key of start and stop. */
    static final int FLAG_FORCE = 1;

    /** glusterd's {@code sync-mgmt-operation} values: GD_OP_CREATE_VOLUME and GD_OP_DELETE_VOLUME. */
    private static final int GD_OP_CREATE_VOLUME = 1;
    private static final int GD_OP_DELETE_VOLUME = 4;

    /** Largest dictionary accepted in a request; the record limit bounds it too. */
    private static final int MAX_DICT = 4 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(GlusterCliProgram.class);

    private final GlusterdState state;
    private final SecureRandom random = new SecureRandom();

    private GlusterCliProgram(GlusterdState state) {
        this.state = Objects.requireNonNull(state, "state");
    }

    /** The full CLI program ("GlusterD svc cli"), served on the Unix socket: the read-only one plus the writes. */
    public static RpcProgram full(GlusterdState state, Executor ops) {
        GlusterCliProgram p = new GlusterCliProgram(state);
        return readOnlyActors(RpcProgram.builder(PROGRAM, VERSION, "GlusterD svc cli"), p)
                .executor(ops)
                .actor(RpcActor.of(CREATE_VOLUME, "CREATE_VOLUME", GlusterCliProgram::readRequest, p::createVolume))
                .actor(RpcActor.of(DELETE_VOLUME, "DELETE_VOLUME", GlusterCliProgram::readRequest, p::deleteVolume))
                .actor(RpcActor.of(START_VOLUME, "START_VOLUME", GlusterCliProgram::readRequest, p::startVolume))
                .actor(RpcActor.of(STOP_VOLUME, "STOP_VOLUME", GlusterCliProgram::readRequest, p::stopVolume))
                .build();
    }

    /** The read-only CLI program ("GlusterD svc cli read-only"), served on TCP. */
    public static RpcProgram readOnly(GlusterdState state, Executor ops) {
        return readOnlyActors(RpcProgram.builder(PROGRAM, VERSION, "GlusterD svc cli read-only"),
                new GlusterCliProgram(state)).executor(ops).build();
    }

    private static RpcProgram.Builder readOnlyActors(RpcProgram.Builder b, GlusterCliProgram p) {
        return b.actor(RpcActor.of(NULL, "NULL", RpcActor.VOID, (call, a) -> call.replyVoid()))
                .actor(RpcActor.of(LIST_FRIENDS, "LIST_FRIENDS", GlusterCliProgram::readPeerListRequest,
                        p::listFriends))
                .actor(RpcActor.of(GET_VOLUME, "GET_VOLUME", GlusterCliProgram::readRequest, p::getVolume))
                .actor(RpcActor.of(LIST_VOLUME, "LIST_VOLUME", GlusterCliProgram::readRequest, p::listVolume));
    }

    // --- wire ----------------------------------------------------------------------------------------------

    /** {@code gf1_cli_peer_list_req}. */
    record PeerListRequest(int flags, GlusterDict dict) {
    }

    /** {@code gf_cli_rsp}. */
    record Response(int opRet, int opErrno, String opErrstr, GlusterDict dict) {
        static Response ok(GlusterDict dict) {
            return new Response(0, 0, "", dict);
        }

        static Response failed(int errno, String errstr, GlusterDict dict) {
            return new Response(-1, errno, errstr, dict);
        }
    }

    static GlusterDict readRequest(XdrDecoder d) throws XdrException {
        return GlusterDict.decode(d.readOpaqueAsBuffer(MAX_DICT));
    }

    static PeerListRequest readPeerListRequest(XdrDecoder d) throws XdrException {
        int flags = d.readInt();
        return new PeerListRequest(flags, GlusterDict.decode(d.readOpaqueAsBuffer(MAX_DICT)));
    }

    static void writeResponse(XdrEncoder e, Response r) {
        e.writeInt(r.opRet());
        e.writeInt(r.opErrno());
        e.writeString(r.opErrstr(), Integer.MAX_VALUE);
        e.writeOpaque(r.dict().encode(), Integer.MAX_VALUE);
    }

    static void writePeerListResponse(XdrEncoder e, Response r) {
        e.writeInt(r.opRet());
        e.writeInt(r.opErrno());
        e.writeOpaque(r.dict().encode(), Integer.MAX_VALUE);
    }

    private static void reply(RpcCall call, Response r) {
        call.reply(r, GlusterCliProgram::writeResponse);
    }

    // --- peers ---------------------------------------------------------------------------------------------

    /** Peer status lists the other peers (none); pool list adds this node as {@code localhost}. */
    void listFriends(RpcCall call, PeerListRequest req) {
        GlusterDict.Builder b = GlusterDict.builder();
        int count = 0;
        if (req.flags() == LIST_POOL_NODES) {
            count = 1;
            b.put("friend1.uuid", state.nodeId().toString())
                    .put("friend1.hostname", "localhost")
                    .put("friend1.connected", "1");
        }
        b.put("count", count);
        call.reply(Response.ok(b.build()), GlusterCliProgram::writePeerListResponse);
    }

    // --- volume info and list ------------------------------------------------------------------------------

    void listVolume(RpcCall call, GlusterDict req) {
        GlusterDict.Builder b = GlusterDict.builder();
        List<Volume> vols = state.volumes();
        for (int i = 0; i < vols.size(); i++) {
            b.put("volume" + i, vols.get(i).name());
        }
        b.put("count", vols.size());
        reply(call, Response.ok(b.build()));
    }

    /**
     * {@code volume info NAME} asks for one volume (flags 2); {@code volume info} walks them with GET_NEXT
     * (flags 3), naming the previous volume, until a reply with count 0.
     */
    void getVolume(RpcCall call, GlusterDict req) {
        int flags = parseInt(req.get("flags"), GET_VOLUME_ONE);
        String name = req.get("volname");
        List<Volume> vols = state.volumes();
        List<Volume> out = new ArrayList<>();
        if (flags == GET_VOLUME_ALL) {
            out.addAll(vols);
        } else if (flags == GET_NEXT_VOLUME) {
            for (Volume v : vols) {
                if (name == null || v.name().compareTo(name) > 0) {
                    out.add(v);
                    break;
                }
            }
        } else {
            Volume v = name == null ? null : state.volume(name);
            if (v == null) {
                reply(call, Response.failed(EG_NOVOL, "Volume does not exist",
                        GlusterDict.builder().put("count", 0).build()));
                return;
            }
            out.add(v);
        }
        GlusterDict.Builder b = GlusterDict.builder();
        for (int i = 0; i < out.size(); i++) {
            putVolumeDetail(b, i, out.get(i));
        }
        b.put("count", out.size());
        reply(call, Response.ok(b.build()));
    }

    /** {@code glusterd_add_volume_detail_to_dict}, in its order. */
    private void putVolumeDetail(GlusterDict.Builder b, int index, Volume v) {
        String k = "volume" + index + ".";
        b.put(k + "name", v.name())
                .put(k + "type", v.type())
                .put(k + "status", v.status().ordinal())
                .put(k + "brick_count", v.bricks().size())
                .put(k + "dist_count", v.distLeafCount())
                .put(k + "replica_count", v.replicaCount())
                .put(k + "disperse_count", 0)
                .put(k + "redundancy_count", 0)
                .put(k + "arbiter_count", 0)
                .put(k + "transport", 0)
                .put(k + "thin_arbiter_count", 0)
                .put(k + "volume_id", v.id().toString())
                .put(k + "rebalance", 0)
                .put(k + "snap_count", 0);
        for (int i = 0; i < v.bricks().size(); i++) {
            b.put(k + "brick" + (i + 1), v.bricks().get(i))
                    .put(k + "brick" + (i + 1) + ".uuid", state.nodeId().toString());
        }
        for (Map.Entry<String, String> o : v.options()) {
            b.put(k + "option." + o.getKey(), o.getValue());
        }
        b.put(k + "opt_count", v.options().size());
    }

    // --- volume create -------------------------------------------------------------------------------------

    void createVolume(RpcCall call, GlusterDict req) {
        String name = req.get("volname");
        if (name == null) {
            reply(call, Response.failed(0, "Unable to get volume name", GlusterDict.EMPTY));
            return;
        }
        if (state.volume(name) != null) {
            // glusterd's handler refuses before the transaction starts: no dictionary, errno 0.
            reply(call, Response.failed(0, "Volume " + name + " already exists", GlusterDict.EMPTY));
            return;
        }
        UUID id = UUID.randomUUID();
        GlusterDict.Builder b = req.toBuilder()
                .put("transport.address-family", "inet")
                .put("volume-id", id.toString())
                .put("internal-username", UUID.randomUUID().toString())
                .put("internal-password", UUID.randomUUID().toString())
                .put("sync-mgmt-operation", GD_OP_CREATE_VOLUME)
                .putBinary("transaction_id", randomId())
                .putBinary("originator_uuid", uuidBytes(state.nodeId()));
        int replica = Math.max(1, parseInt(req.get("replica-count"), 1));
        boolean force = parseInt(req.get("force"), 0) != 0;
        List<String> bricks = splitBricks(req.get("bricks"));
        if (bricks.isEmpty() || bricks.size() % replica != 0) {
            reply(call, Response.failed(EG_INTRNL, "Incorrect number of bricks supplied " + bricks.size()
                    + " with count " + replica, b.build()));
            return;
        }
        String error = validateBricks(bricks, replica, force);
        if (error != null) {
            reply(call, Response.failed(EG_INTRNL, error, b.build()));
            return;
        }
        Volume v = Volume.create(name, id, replica, bricks);
        if (!store(call, v, b)) {
            return;
        }
        log.info("created {}", v);
        reply(call, Response.ok(b.build()));
    }

    /** The checks of glusterd's create staging that do not need a brick process, in glusterd's order. */
    private String validateBricks(List<String> bricks, int replica, boolean force) {
        if (replica > 1 && !force) {
            for (int set = 0; set < bricks.size(); set += replica) {
                Set<String> hosts = new HashSet<>();
                for (String brick : bricks.subList(set, set + replica)) {
                    if (!hosts.add(host(brick))) {
                        return "Multiple bricks of a replicate volume are present on the same server. This "
                                + "setup is not optimal. Bricks should be on different nodes to have best fault "
                                + "tolerant configuration. Use 'force' at the end of the command if you want to "
                                + "override this behavior. ";
                    }
                }
            }
        }
        for (String brick : bricks) {
            String host = host(brick);
            if (!isLocal(host)) {
                return "Host " + host + " is not in 'Peer in Cluster' state";
            }
            Path path = Paths.get(path(brick)).normalize();
            for (Volume v : state.volumes()) {
                for (String other : v.bricks()) {
                    Path o = Paths.get(path(other)).normalize();
                    if (host(other).equals(host) && (o.startsWith(path) || path.startsWith(o))) {
                        return "Brick: " + brick + " not available. Brick may be containing or be contained by "
                                + "an existing brick.";
                    }
                }
            }
            Path parent = path.getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                return "Failed to create brick directory for brick " + brick
                        + ". Reason : No such file or directory ";
            }
            if (!force && sameDevice(parent, Paths.get("/"))) {
                return "The brick " + brick + " is being created in the root partition. It is recommended that "
                        + "you don't use the system's root partition for storage backend. Or use 'force' at the "
                        + "end of the command if you want to override this behavior.";
            }
        }
        return null;
    }

    // --- volume start, stop, delete ------------------------------------------------------------------------

    void startVolume(RpcCall call, GlusterDict req) {
        changeStatus(call, req, Volume.Status.STARTED);
    }

    void stopVolume(RpcCall call, GlusterDict req) {
        changeStatus(call, req, Volume.Status.STOPPED);
    }

    private void changeStatus(RpcCall call, GlusterDict req, Volume.Status to) {
        String name = Objects.requireNonNullElse(req.get("volname"), "");
        boolean force = (parseInt(req.get("flags"), 0) & FLAG_FORCE) != 0;
        GlusterDict.Builder b = req.toBuilder()
                .putBinary("originator_uuid", uuidBytes(state.nodeId()))
                .put("is_synctasked", "1");
        Volume v = state.volume(name);
        if (v == null) {
            reply(call, Response.failed(EG_INTRNL, "Volume " + name + " does not exist", b.build()));
            return;
        }
        b.put("vol-id", v.id().toString());
        boolean started = v.status() == Volume.Status.STARTED;
        if (!force && to == Volume.Status.STARTED && started) {
            reply(call, Response.failed(EG_INTRNL, "Volume " + name + " already started", b.build()));
            return;
        }
        if (!force && to == Volume.Status.STOPPED && !started) {
            reply(call, Response.failed(EG_INTRNL, "Volume " + name + " is not in the started state", b.build()));
            return;
        }
        if (!store(call, v.withStatus(to), b)) {
            return;
        }
        log.info("{} {}", to == Volume.Status.STARTED ? "started" : "stopped", name);
        reply(call, Response.ok(b.build()));
    }

    void deleteVolume(RpcCall call, GlusterDict req) {
        String name = Objects.requireNonNullElse(req.get("volname"), "");
        GlusterDict.Builder b = req.toBuilder()
                .put("sync-mgmt-operation", GD_OP_DELETE_VOLUME)
                .putBinary("transaction_id", randomId())
                .putBinary("originator_uuid", uuidBytes(state.nodeId()));
        Volume v = state.volume(name);
        if (v == null) {
            reply(call, Response.failed(EG_INTRNL, "Volume " + name + " does not exist", b.build()));
            return;
        }
        b.put("vol-id", v.id().toString());
        if (v.status() == Volume.Status.STARTED) {
            reply(call, Response.failed(EG_INTRNL, "Volume " + name
                    + " has been started.Volume needs to be stopped before deletion.", b.build()));
            return;
        }
        try {
            state.remove(name);
        } catch (IOException e) {
            log.error("cannot store the deletion of {}", name, e);
            reply(call, Response.failed(EG_INTRNL, "Failed to store the deletion of volume " + name + ": "
                    + e.getMessage(), b.build()));
            return;
        }
        log.info("deleted {}", name);
        reply(call, Response.ok(b.build()));
    }

    private boolean store(RpcCall call, Volume v, GlusterDict.Builder b) {
        try {
            state.put(v);
            return true;
        } catch (IOException e) {
            log.error("cannot store {}", v, e);
            reply(call, Response.failed(EG_INTRNL, "Failed to store volume " + v.name() + ": " + e.getMessage(),
                    b.build()));
            return false;
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** The CLI sends bricks as one string with a space before and after each: {@code " h:/a h:/b "}. */
    static List<String> splitBricks(String bricks) {
        List<String> out = new ArrayList<>();
        if (bricks != null) {
            for (String s : bricks.trim().split(" +")) {
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private static String host(String brick) {
        int colon = brick.lastIndexOf(':');
        return colon < 0 ? "" : brick.substring(0, colon);
    }

    private static String path(String brick) {
        return brick.substring(brick.lastIndexOf(':') + 1);
    }

    /** Whether {@code host} names this machine (its hostname, or an address of one of its interfaces). */
    private static boolean isLocal(String host) {
        try {
            if (host.equalsIgnoreCase(InetAddress.getLocalHost().getHostName())) {
                return true;
            }
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null) {
                    return true;
                }
            }
        } catch (UnknownHostException | SocketException e) {
            log.debug("cannot resolve brick host {}: {}", host, e.toString());
        }
        return false;
    }

    private static boolean sameDevice(Path a, Path b) {
        try {
            return Objects.equals(Files.getAttribute(a, "unix:dev", LinkOption.NOFOLLOW_LINKS),
                    Files.getAttribute(b, "unix:dev", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // No device numbers here (not a Unix file system): cannot tell, so do not refuse the brick.
            return false;
        }
    }

    private static int parseInt(String s, int fallback) {
        if (s == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private byte[] randomId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return b;
    }

    static byte[] uuidBytes(UUID u) {
        return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits())
                .array();
    }
}
