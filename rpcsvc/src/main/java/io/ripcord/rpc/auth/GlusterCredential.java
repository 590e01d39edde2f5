package io.ripcord.rpc.auth;

import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * GlusterFS's {@code AUTH_GLUSTERFS_v2} credential (flavor 390039), as the gluster CLI sends it:
 * {@code struct auth_glusterfs_parms_v2 { int pid; unsigned int uid; unsigned int gid; unsigned int groups<>;
 * opaque lk_owner<>; }}. The whole body is bounded by the 400-byte credential limit. Immutable.
 */
public final class GlusterCredential {

    private final int pid;
    private final int uid;
    private final int gid;
    private final int[] groups;
    private final byte[] lkOwner;

    public GlusterCredential(int pid, int uid, int gid, int[] groups, byte[] lkOwner) {
        this.pid = pid;
        this.uid = uid;
        this.gid = gid;
        this.groups = groups.clone();
        this.lkOwner = lkOwner.clone();
    }

    public static GlusterCredential decode(ByteBuffer body) throws AuthException {
        try {
            XdrDecoder d = new XdrDecoder(body);
            int pid = d.readInt();
            int uid = d.readInt();
            int gid = d.readInt();
            int[] groups = d.readIntArray(io.ripcord.rpc.AuthFlavor.MAX_BODY / 4);
            byte[] owner = d.readOpaque(io.ripcord.rpc.AuthFlavor.MAX_BODY);
            if (d.hasRemaining()) {
                throw new AuthException(AuthStat.AUTH_BADCRED,
                        "AUTH_GLUSTERFS_v2 credential has " + d.remaining() + " trailing bytes");
            }
            return new GlusterCredential(pid, uid, gid, groups, owner);
        } catch (XdrException e) {
            throw new AuthException(AuthStat.AUTH_BADCRED, "malformed AUTH_GLUSTERFS_v2 credential: "
                    + e.getMessage());
        }
    }

    public void encode(XdrEncoder out) {
        out.writeInt(pid);
        out.writeInt(uid);
        out.writeInt(gid);
        out.writeIntArray(groups, io.ripcord.rpc.AuthFlavor.MAX_BODY / 4);
        out.writeOpaque(lkOwner, io.ripcord.rpc.AuthFlavor.MAX_BODY);
    }

    public int pid() {
        return pid;
    }

    public int uid() {
        return uid;
    }

    public int gid() {
        return gid;
    }

    public int[] groups() {
        return groups.clone();
    }

    public byte[] lkOwner() {
        return lkOwner.clone();
    }

    @Override
    public String toString() {
        return "AUTH_GLUSTERFS_v2[pid=" + pid + " uid=" + uid + " gid=" + gid + " groups="
                + Arrays.toString(groups) + "]";
    }
}
