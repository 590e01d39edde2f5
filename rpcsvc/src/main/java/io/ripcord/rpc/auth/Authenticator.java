package io.ripcord.rpc.auth;

import java.nio.ByteBuffer;

/**
 * Checks the credential of one flavor and turns it into what actors see as the caller
 * ({@link io.ripcord.rpc.RpcCall#principal()}). Called on the connection's owner poller for every call: it
 * must be fast and must not block. One instance serves every connection, concurrently.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * @param body the credential's opaque body (at most 400 bytes), valid only during this call
     * @return the caller's identity, never {@code null}
     * @throws AuthException to deny the call (use {@link io.ripcord.rpc.AuthStat#AUTH_BADCRED} for a body that
     *         does not decode)
     */
    Object authenticate(ByteBuffer body) throws AuthException;

    /** AUTH_NONE: the body must be empty; the principal is {@link #NONE}. */
    Authenticator AUTH_NONE = body -> {
        if (body.hasRemaining()) {
            throw new AuthException(io.ripcord.rpc.AuthStat.AUTH_BADCRED,
                    "AUTH_NONE credential with a " + body.remaining() + "-byte body");
        }
        return Anonymous.INSTANCE;
    };

    /** The principal of an AUTH_NONE call. */
    Object NONE = Anonymous.INSTANCE;

    /** AUTH_SYS (RFC 5531 appendix A), decoded into an {@link AuthSysCredential}. */
    Authenticator AUTH_SYS = AuthSysCredential::decode;

    /** GlusterFS {@code auth_glusterfs_parms_v2}, decoded into a {@link GlusterCredential}. */
    Authenticator AUTH_GLUSTERFS_V2 = GlusterCredential::decode;

    /** The caller of an AUTH_NONE call. */
    enum Anonymous {
        INSTANCE
    }
}
