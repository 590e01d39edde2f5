package io.ripcord.rpc.auth;

import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An AUTH_SYS credential (RFC 5531 appendix A):
 * {@code struct authsys_parms { unsigned int stamp; string machinename<255>; unsigned int uid;
 * unsigned int gid; unsigned int gids<16>; }}. Immutable.
 */
public final class AuthSysCredential {

    /** The longest machine name, in bytes of UTF-8 ({@code string machinename<255>}). */
    public static final int MAX_MACHINE_NAME = 255;
    /** The most supplementary gids ({@code unsigned int gids<16>}). */
    public static final int MAX_GIDS = 16;

    private final int stamp;
    private final String machineName;
    private final int uid;
    private final int gid;
    private final int[] gids;

    /**
     * A credential to send, or one decoded.
     *
     * @param stamp       an arbitrary id the caller chose (often the time); servers do not check it
     * @param machineName the caller's host name, at most 255 bytes of UTF-8
     * @param uid         the caller's user id (unsigned 32-bit in an {@code int})
     * @param gid         the caller's primary group id
     * @param gids        the caller's supplementary group ids, at most 16; copied
     * @throws NullPointerException     if {@code machineName} or {@code gids} is null
     * @throws IllegalArgumentException if the name or the gids are over their limits
     */
    public AuthSysCredential(int stamp, String machineName, int uid, int gid, int[] gids) {
        Objects.requireNonNull(machineName, "machineName");
        Objects.requireNonNull(gids, "gids");
        if (gids.length > MAX_GIDS) {
            throw new IllegalArgumentException("at most " + MAX_GIDS + " gids, got " + gids.length);
        }
        int nameBytes = machineName.getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes > MAX_MACHINE_NAME) {
            throw new IllegalArgumentException("machine name is " + nameBytes + " bytes in UTF-8, over the "
                    + MAX_MACHINE_NAME + " of RFC 5531 appendix A");
        }
        this.stamp = stamp;
        this.machineName = machineName;
        this.uid = uid;
        this.gid = gid;
        this.gids = gids.clone();
    }

    /**
     * Decodes a body, which must hold exactly one {@code authsys_parms}. A machine name that is not well-formed
     * UTF-8 decodes with U+FFFD in place of each malformed sequence, and is refused if that makes it longer than
     * 255 bytes: every credential this returns can be encoded again.
     *
     * @param body the credential's body (after flavor and length), from its position to its limit
     * @return the credential
     * @throws AuthException with {@link AuthStat#AUTH_BADCRED} if the body does not decode, is over a limit, or
     *                       has bytes left after the gids
     */
    public static AuthSysCredential decode(ByteBuffer body) throws AuthException {
        try {
            XdrDecoder d = new XdrDecoder(body);
            int stamp = d.readInt();
            String name = d.readString(MAX_MACHINE_NAME);
            int uid = d.readInt();
            int gid = d.readInt();
            int[] gids = d.readIntArray(MAX_GIDS);
            if (d.hasRemaining()) {
                throw new AuthException(AuthStat.AUTH_BADCRED,
                        "AUTH_SYS credential has " + d.remaining() + " bytes after its gids");
            }
            if (name.getBytes(StandardCharsets.UTF_8).length > MAX_MACHINE_NAME) {
                throw new AuthException(AuthStat.AUTH_BADCRED,
                        "AUTH_SYS machine name is malformed UTF-8 that does not fit " + MAX_MACHINE_NAME + " bytes");
            }
            return new AuthSysCredential(stamp, name, uid, gid, gids);
        } catch (XdrException e) {
            throw new AuthException(AuthStat.AUTH_BADCRED, "malformed AUTH_SYS credential: " + e.getMessage());
        }
    }

    /**
     * Writes the body (not the flavor and length) into {@code out}: at most 4 + 4 + 255 + 1 + 4 + 4 + 4 + 64 = 340
     * bytes, within a credential's 400.
     *
     * @param out where to write
     */
    public void encode(XdrEncoder out) {
        out.writeInt(stamp);
        out.writeString(machineName, MAX_MACHINE_NAME);
        out.writeInt(uid);
        out.writeInt(gid);
        out.writeIntArray(gids, MAX_GIDS);
    }

    /**
     * The stamp the caller chose.
     *
     * @return the stamp
     */
    public int stamp() {
        return stamp;
    }

    /**
     * The host name the caller gives; not checked by anyone.
     *
     * @return the name, at most 255 bytes of UTF-8
     */
    public String machineName() {
        return machineName;
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
     * @return a new copy, at most 16 ids
     */
    public int[] gids() {
        return gids.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AuthSysCredential)) {
            return false;
        }
        AuthSysCredential c = (AuthSysCredential) o;
        return stamp == c.stamp && uid == c.uid && gid == c.gid && machineName.equals(c.machineName)
                && Arrays.equals(gids, c.gids);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stamp, machineName, uid, gid, Arrays.hashCode(gids));
    }

    @Override
    public String toString() {
        return "AUTH_SYS[" + machineName + " uid=" + uid + " gid=" + gid + " gids=" + Arrays.toString(gids) + "]";
    }
}
