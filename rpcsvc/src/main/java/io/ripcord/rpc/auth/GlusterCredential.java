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

    /**
     * A credential to send, or one decoded. Lengths are not checked here: {@link #encode} refuses more than 100
     * groups or a 400-byte owner, and a client's {@code Credential} a body over 400 bytes in all.
     *
     * @param pid     the calling process's id
     * @param uid     the caller's user id (unsigned 32-bit in an {@code int})
     * @param gid     the caller's primary group id
     * @param groups  the caller's supplementary group ids; copied
     * @param lkOwner the lock owner, opaque bytes (GlusterFS's {@code gf_lkowner_t}); copied, may be empty
     * @throws NullPointerException if {@code groups} or {@code lkOwner} is null
     */
    public GlusterCredential(int pid, int uid, int gid, int[] groups, byte[] lkOwner) {
        this.pid = pid;
        this.uid = uid;
        this.gid = gid;
        this.groups = groups.clone();
        this.lkOwner = lkOwner.clone();
    }

    /**
     * Decodes a body, which must hold exactly one {@code auth_glusterfs_parms_v2}.
     *
     * @param body the credential's body (after flavor and length), from its position to its limit
     * @return the credential
     * @throws AuthException with {@link AuthStat#AUTH_BADCRED} if the body does not decode or has bytes left over
     */
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

    /**
     * Writes the body (not the flavor and length) into {@code out}.
     *
     * @param out where to write
     * @throws IllegalArgumentException if there are more than 100 groups or the owner is over 400 bytes
     */
    public void encode(XdrEncoder out) {
        out.writeInt(pid);
        out.writeInt(uid);
        out.writeInt(gid);
        out.writeIntArray(groups, io.ripcord.rpc.AuthFlavor.MAX_BODY / 4);
        out.writeOpaque(lkOwner, io.ripcord.rpc.AuthFlavor.MAX_BODY);
    }

    /**
     * The calling process's id, as the caller gives it.
     *
     * @return the pid as sent (GlusterFS's internal clients send negative ones)
     */
    public int pid() {
        return pid;
    }

    /**
     * The user id the caller claims.
     *
     * @return the uid (unsigned 32-bit in an {@code int})
     */
    public int uid() {
        return uid;
    }

    /**
     * The primary group id the caller claims.
     *
     * @return the gid (unsigned 32-bit in an {@code int})
     */
    public int gid() {
        return gid;
    }

    /**
     * The supplementary group ids the caller claims.
     *
     * @return a new copy
     */
    public int[] groups() {
        return groups.clone();
    }

    /**
     * The lock owner the caller sends with its lock requests.
     *
     * @return a new copy; empty if none was sent
     */
    public byte[] lkOwner() {
        return lkOwner.clone();
    }

    @Override
    public String toString() {
        return "AUTH_GLUSTERFS_v2[pid=" + pid + " uid=" + uid + " gid=" + gid + " groups="
                + Arrays.toString(groups) + "]";
    }
}
