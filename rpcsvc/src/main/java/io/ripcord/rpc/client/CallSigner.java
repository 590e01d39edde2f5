package io.ripcord.rpc.client;

import io.ripcord.rpc.ReplyHeader;
import io.ripcord.rpc.xdr.XdrEncoder;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * What a client credential does for each call when a fixed body is not enough (RPCSEC_GSS, RFC 2203): write the
 * call's credential and a verifier computed over its header, protect its arguments, and check the reply's
 * verifier and unprotect its results. Make a credential of it with {@link Credential#signedBy}.
 *
 * <p>Threads: {@link #writeAuth} and {@link #wrapArguments} run on the thread that makes the call (any thread),
 * {@link #acceptReply} and {@link #renewAfter} on the connection's poller; an implementation is shared by every call
 * of a client, so it must be thread-safe and must not block. Per-call state (a sequence number) travels in the
 * object {@link #writeAuth} returns.
 */
public interface CallSigner {

    /**
     * Writes the call's {@code cred} and {@code verf} ({@code opaque_auth} each: flavor, then the body as
     * variable-length opaque) into {@code out}, after the header words it holds from {@code headerStart} (an
     * offset in the message, see {@link XdrEncoder#size()}; read them through {@link XdrEncoder#toBuffer()}).
     *
     * @param out         the call being encoded, its header words written
     * @param headerStart where the call's xid is in {@code out}
     * @param xid         the call's transaction id
     * @return what {@link #wrapArguments} and {@link #acceptReply} need of this call, or {@code null}
     */
    Object writeAuth(XdrEncoder out, int headerStart, int xid);

    /**
     * Replaces the arguments encoded from {@code argumentsStart} to the end of {@code out} with their protected
     * form (RPCSEC_GSS integrity or privacy); the default leaves them.
     *
     * @param out            the call being encoded, its arguments last
     * @param argumentsStart where the arguments begin in {@code out}
     * @param call           what {@link #writeAuth} returned for this call
     */
    default void wrapArguments(XdrEncoder out, int argumentsStart, Object call) {
    }

    /**
     * Checks an accepted reply's verifier and gives the results to decode, unprotected; the default takes them as
     * they are. Called for every accepted reply, the errors (PROG_UNAVAIL, GARBAGE_ARGS, ...) included, since
     * their verifiers vouch for them too; only a SUCCESS reply's return value is decoded
     * ({@link ReplyHeader#acceptStat()} says which it is).
     *
     * @param reply   the reply's header (verifier included)
     * @param results the bytes after it
     * @param call    what {@link #writeAuth} returned for this call
     * @return the results to decode: {@code results} itself, or their unprotected form
     * @throws RpcException to fail the call (a verifier that does not check out)
     */
    default ByteBuffer acceptReply(ReplyHeader reply, ByteBuffer results, Object call) throws RpcException {
        return results;
    }

    /**
     * The server denied a call with {@code authStat}: whether it is worth sending again, encoded anew, once the
     * returned stage completes (RPCSEC_GSS: after RPCSEC_GSS_CREDPROBLEM or RPCSEC_GSS_CTXPROBLEM a new context,
     * RFC 2203 section 5.3.3.3). The client sends each call again at most once, with a new xid and its own
     * timeout; if the stage fails, the call fails with the denial and that failure as its cause. The default
     * gives up: {@code null}.
     *
     * <p>Called on the connection's poller (it must not block: start slow work elsewhere and return its stage),
     * by every denied call, so concurrent denials should share one renewal.
     *
     * @param authStat the {@code auth_stat} of the denial
     * @param call     what {@link #writeAuth} returned for the denied call
     * @return completes when the call may be encoded again, or {@code null} to let it fail now
     */
    default CompletionStage<?> renewAfter(int authStat, Object call) {
        return null;
    }
}
