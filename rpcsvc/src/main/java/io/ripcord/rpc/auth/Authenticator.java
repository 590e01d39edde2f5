package io.ripcord.rpc.auth;

import io.ripcord.rpc.CallHeader;
import io.ripcord.rpc.RpcCall;
import java.nio.ByteBuffer;

/**
 * A credential flavor on the server: checks the credential of each call and turns it into what actors see as the
 * caller ({@link io.ripcord.rpc.RpcCall#principal()}). Called on the connection's owner poller (a UDP socket's
 * poller for datagrams) for every call, before the program is looked up: it must be fast and must not block. One
 * instance serves every connection, concurrently.
 *
 * <p>Most flavors need only the credential's body ({@link #authenticate(ByteBuffer)}). A flavor that needs the
 * whole call (RPCSEC_GSS, RFC 2203) overrides {@link #authenticate(CallHeader, RpcCall)}; see there, and
 * {@code rpcsvc/README.md}, for what it may do.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * Checks a credential's body and names the caller. Called on the poller that read the call, concurrently
     * for different connections.
     *
     * @param body the credential's opaque body (at most 400 bytes), valid only during this call
     * @return the caller's identity, never {@code null}
     * @throws AuthException to deny the call (use {@link io.ripcord.rpc.AuthStat#AUTH_BADCRED} for a body that
     *         does not decode)
     */
    Object authenticate(ByteBuffer body) throws AuthException;

    /**
     * The whole credential step of one call, for flavors that need more than the credential's body. With the
     * header (its byte views are valid only during this call) and the call, a flavor may:
     * <ul>
     * <li>check a verifier computed over the header: {@link CallHeader#bytesThroughCredential()},
     * {@link CallHeader#verifierBody()} (RPCSEC_GSS's MIC over the xid through the credential);</li>
     * <li>answer the call itself, through {@code call.reply(...)} (RPCSEC_GSS's context creation arrives on
     * procedure 0 with a control credential), and return {@code null}: dispatch stops there;</li>
     * <li>take the call to answer it later from another thread (work too slow for the poller, such as
     * RPCSEC_GSS's context creation on an executor), and return {@link #DEFERRED}: dispatch stops there, and
     * the call stays open, counted against its connection's outstanding limit, until that thread replies,
     * denies it ({@link RpcCall#replyAuthError}) or drops it. The header's byte views are not valid there: copy
     * what the answer needs first;</li>
     * <li>drop the call with no reply at all, {@link RpcCall#drop()} (RFC 2203 section 5.3.3.1: a sequence
     * number outside the window), and return {@code null};</li>
     * <li>protect the call, {@link RpcCall#protect}: unwrap its arguments before the actor's decoder runs, wrap
     * its results after they are encoded, and supply the verifier of its replies.</li>
     * </ul>
     * A verifier that does not decode (its length past the message, or over 400 bytes) is refused with
     * AUTH_BADVERF after this step, so a flavor that reads it checks {@link CallHeader#defect()} first.
     *
     * <p>The default authenticates the credential's body with {@link #authenticate(ByteBuffer)}.
     *
     * @param header the call's header, credential and verifier; its byte views are valid only during this call
     * @param call   the call, not yet dispatched to its program
     * @return the principal for the call to go on with, {@code null} when the flavor answered or dropped it, or
     *         {@link #DEFERRED} when it will answer from another thread
     * @throws AuthException to deny the call: MSG_DENIED AUTH_ERROR with its {@code auth_stat}
     */
    default Object authenticate(CallHeader header, RpcCall call) throws AuthException {
        return authenticate(header.credentialBody());
    }

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

    /**
     * What {@link #authenticate(CallHeader, RpcCall)} returns when the flavor will answer the call from another
     * thread: dispatch stops and leaves the call open.
     */
    Object DEFERRED = Deferred.INSTANCE;

    /** AUTH_SYS (RFC 5531 appendix A), decoded into an {@link AuthSysCredential}. */
    Authenticator AUTH_SYS = AuthSysCredential::decode;

    /** GlusterFS {@code auth_glusterfs_parms_v2}, decoded into a {@link GlusterCredential}. */
    Authenticator AUTH_GLUSTERFS_V2 = GlusterCredential::decode;

    /** The caller of an AUTH_NONE call. */
    enum Anonymous {
        /** The one anonymous caller: AUTH_NONE says nothing about who calls. */
        INSTANCE
    }

    /** The type of {@link #DEFERRED}: no principal, a promise of an answer. */
    enum Deferred {
        /** The one value, {@link Authenticator#DEFERRED}. */
        INSTANCE
    }
}
