package io.ripcord.examples.glusterd;

import io.ripcord.examples.glusterd.xdr.Gf1CliPeerListReq;
import io.ripcord.examples.glusterd.xdr.Gf1CliPeerListRsp;
import io.ripcord.examples.glusterd.xdr.GfCliReq;
import io.ripcord.examples.glusterd.xdr.GfCliRsp;
import io.ripcord.examples.glusterd.xdr.GlusterCliV2;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.RpcProgram;
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
 * list, volume create, info, list, start, stop and delete, on the skeleton xdrgen generates from
 * {@code src/main/xdr/gluster_cli.x} ({@link GlusterCliV2}). Requests are {@code gf_cli_req { opaque dict<>; }}
 * (peer listing: {@code gf1_cli_peer_list_req { int flags; opaque dict<>; }}); replies are
 * {@code gf_cli_rsp { int op_ret; int op_errno; string op_errstr<>; opaque dict<>; }} (peer listing:
 * {@code gf1_cli_peer_list_rsp { int op_ret; int op_errno; opaque friends<>; }}). The dictionaries hold what
 * the CLI prints, key for key as glusterd fills them (see the transcripts under
 * {@code examples/src/test/resources/glusterd/}); a request dictionary that does not decode is GARBAGE_ARGS.
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
public final class GlusterCliProgram implements GlusterCliV2.Server {

    public static final int PROGRAM = GlusterCliV2.PROGRAM;
    public static final int VERSION = GlusterCliV2.VERSION;

    /** {@code gluster_cli_procnum} numbers this endpoint implements (src/main/xdr/gluster_cli.x). */
    public static final int NULL = GlusterCliV2.GLUSTER_CLI_NULL;
    public static final int LIST_FRIENDS = GlusterCliV2.GLUSTER_CLI_LIST_FRIENDS;
    public static final int CREATE_VOLUME = GlusterCliV2.GLUSTER_CLI_CREATE_VOLUME;
    public static final int GET_VOLUME = GlusterCliV2.GLUSTER_CLI_GET_VOLUME;
    public static final int DELETE_VOLUME = GlusterCliV2.GLUSTER_CLI_DELETE_VOLUME;
    public static final int START_VOLUME = GlusterCliV2.GLUSTER_CLI_START_VOLUME;
    public static final int STOP_VOLUME = GlusterCliV2.GLUSTER_CLI_STOP_VOLUME;
    public static final int LIST_VOLUME = GlusterCliV2.GLUSTER_CLI_LIST_VOLUME;

    /** What the read-only table on TCP serves; the writes are not in it, so they get PROC_UNAVAIL. */
    private static final int[] READ_ONLY = {NULL, LIST_FRIENDS, GET_VOLUME, LIST_VOLUME};

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

    private static final Logger log = LoggerFactory.getLogger(GlusterCliProgram.class);

    private final GlusterdState state;
    private final SecureRandom random = new SecureRandom();

    private GlusterCliProgram(GlusterdState state) {
        this.state = Objects.requireNonNull(state, "state");
    }

    /** The full CLI program ("GlusterD svc cli"), served on the Unix socket: the read-only one plus the writes. */
    public static RpcProgram full(GlusterdState state, Executor ops) {
        return GlusterCliV2.builder("GlusterD svc cli", new GlusterCliProgram(state)).executor(ops).build();
    }

    /** The read-only CLI program ("GlusterD svc cli read-only"), served on TCP. */
    public static RpcProgram readOnly(GlusterdState state, Executor ops) {
        RpcProgram all = full(state, ops);
        RpcProgram.Builder b = RpcProgram.builder(PROGRAM, VERSION, "GlusterD svc cli read-only").executor(ops);
        for (int procedure : READ_ONLY) {
            b.actor(all.actor(procedure));
        }
        return b.build();
    }

    // --- wire: the records generated from gluster_cli.x, the dictionaries in them ----------------------------

    private static GfCliRsp ok(GlusterDict dict) {
        return new GfCliRsp(0, 0, "", dict.encode());
    }

    private static GfCliRsp failed(int errno, String errstr, GlusterDict dict) {
        return new GfCliRsp(-1, errno, errstr, dict.encode());
    }

    /** The request's dictionary; a malformed one is an XdrException, which the skeleton answers GARBAGE_ARGS. */
    private static GlusterDict dict(byte[] bytes) throws XdrException {
        return GlusterDict.decode(ByteBuffer.wrap(bytes));
    }

    // --- peers ---------------------------------------------------------------------------------------------

    /** Peer status lists the other peers (none); pool list adds this node as {@code localhost}. */
    @Override
    public Gf1CliPeerListRsp glusterCliListFriends(RpcCall call, Gf1CliPeerListReq req) throws XdrException {
        dict(req.dict());
        GlusterDict.Builder b = GlusterDict.builder();
        int count = 0;
        if (req.flags() == LIST_POOL_NODES) {
            count = 1;
            b.put("friend1.uuid", state.nodeId().toString())
                    .put("friend1.hostname", "localhost")
                    .put("friend1.connected", "1");
        }
        b.put("count", count);
        return new Gf1CliPeerListRsp(0, 0, b.build().encode());
    }

    // --- volume info and list ------------------------------------------------------------------------------

    @Override
    public GfCliRsp glusterCliListVolume(RpcCall call, GfCliReq request) throws XdrException {
        dict(request.dict());
        GlusterDict.Builder b = GlusterDict.builder();
        List<Volume> vols = state.volumes();
        for (int i = 0; i < vols.size(); i++) {
            b.put("volume" + i, vols.get(i).name());
        }
        b.put("count", vols.size());
        return ok(b.build());
    }

    /**
     * {@code volume info NAME} asks for one volume (flags 2); {@code volume info} walks them with GET_NEXT
     * (flags 3), naming the previous volume, until a reply with count 0.
     */
    @Override
    public GfCliRsp glusterCliGetVolume(RpcCall call, GfCliReq request) throws XdrException {
        GlusterDict req = dict(request.dict());
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
                return failed(EG_NOVOL, "Volume does not exist",
                        GlusterDict.builder().put("count", 0).build());
            }
            out.add(v);
        }
        GlusterDict.Builder b = GlusterDict.builder();
        for (int i = 0; i < out.size(); i++) {
            putVolumeDetail(b, i, out.get(i));
        }
        b.put("count", out.size());
        return ok(b.build());
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

    @Override
    public GfCliRsp glusterCliCreateVolume(RpcCall call, GfCliReq request) throws XdrException {
        GlusterDict req = dict(request.dict());
        String name = req.get("volname");
        if (name == null) {
            return failed(0, "Unable to get volume name", GlusterDict.EMPTY);
        }
        if (state.volume(name) != null) {
            // glusterd's handler refuses before the transaction starts: no dictionary, errno 0.
            return failed(0, "Volume " + name + " already exists", GlusterDict.EMPTY);
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
            return failed(EG_INTRNL, "Incorrect number of bricks supplied " + bricks.size()
                    + " with count " + replica, b.build());
        }
        String error = validateBricks(bricks, replica, force);
        if (error != null) {
            return failed(EG_INTRNL, error, b.build());
        }
        Volume v = Volume.create(name, id, replica, bricks);
        GfCliRsp notStored = store(v, b);
        if (notStored != null) {
            return notStored;
        }
        log.info("created {}", v);
        return ok(b.build());
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

    @Override
    public GfCliRsp glusterCliStartVolume(RpcCall call, GfCliReq request) throws XdrException {
        return changeStatus(dict(request.dict()), Volume.Status.STARTED);
    }

    @Override
    public GfCliRsp glusterCliStopVolume(RpcCall call, GfCliReq request) throws XdrException {
        return changeStatus(dict(request.dict()), Volume.Status.STOPPED);
    }

    private GfCliRsp changeStatus(GlusterDict req, Volume.Status to) {
        String name = Objects.requireNonNullElse(req.get("volname"), "");
        boolean force = (parseInt(req.get("flags"), 0) & FLAG_FORCE) != 0;
        GlusterDict.Builder b = req.toBuilder()
                .putBinary("originator_uuid", uuidBytes(state.nodeId()))
                .put("is_synctasked", "1");
        Volume v = state.volume(name);
        if (v == null) {
            return failed(EG_INTRNL, "Volume " + name + " does not exist", b.build());
        }
        b.put("vol-id", v.id().toString());
        boolean started = v.status() == Volume.Status.STARTED;
        if (!force && to == Volume.Status.STARTED && started) {
            return failed(EG_INTRNL, "Volume " + name + " already started", b.build());
        }
        if (!force && to == Volume.Status.STOPPED && !started) {
            return failed(EG_INTRNL, "Volume " + name + " is not in the started state", b.build());
        }
        GfCliRsp notStored = store(v.withStatus(to), b);
        if (notStored != null) {
            return notStored;
        }
        log.info("{} {}", to == Volume.Status.STARTED ? "started" : "stopped", name);
        return ok(b.build());
    }

    @Override
    public GfCliRsp glusterCliDeleteVolume(RpcCall call, GfCliReq request) throws XdrException {
        GlusterDict req = dict(request.dict());
        String name = Objects.requireNonNullElse(req.get("volname"), "");
        GlusterDict.Builder b = req.toBuilder()
                .put("sync-mgmt-operation", GD_OP_DELETE_VOLUME)
                .putBinary("transaction_id", randomId())
                .putBinary("originator_uuid", uuidBytes(state.nodeId()));
        Volume v = state.volume(name);
        if (v == null) {
            return failed(EG_INTRNL, "Volume " + name + " does not exist", b.build());
        }
        b.put("vol-id", v.id().toString());
        if (v.status() == Volume.Status.STARTED) {
            return failed(EG_INTRNL, "Volume " + name
                    + " has been started.Volume needs to be stopped before deletion.", b.build());
        }
        try {
            state.remove(name);
        } catch (IOException e) {
            log.error("cannot store the deletion of {}", name, e);
            return failed(EG_INTRNL, "Failed to store the deletion of volume " + name + ": "
                    + e.getMessage(), b.build());
        }
        log.info("deleted {}", name);
        return ok(b.build());
    }

    /** Stores the volume; null when stored, else the failure to reply with. */
    private GfCliRsp store(Volume v, GlusterDict.Builder b) {
        try {
            state.put(v);
            return null;
        } catch (IOException e) {
            log.error("cannot store {}", v, e);
            return failed(EG_INTRNL, "Failed to store volume " + v.name() + ": " + e.getMessage(), b.build());
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
