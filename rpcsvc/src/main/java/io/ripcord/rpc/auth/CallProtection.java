package io.ripcord.rpc.auth;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import java.nio.ByteBuffer;

/**
 * What a credential flavor does to one call beyond naming its caller: the verifier of its accepted replies, and
 * the integrity or privacy of its arguments and results (RPCSEC_GSS's services, RFC 2203 section 5.3.3.4). A
 * flavor sets it from {@link Authenticator#authenticate(io.ripcord.rpc.CallHeader, RpcCall)} with
 * {@link RpcCall#protect}; a call nobody protects uses {@link #NONE}.
 *
 * <p>Threads: {@link #unwrapArguments} runs on the connection's poller during dispatch, before the actor's
 * decoder, so it must not block. {@link #writeVerifier} and {@link #wrapResults} run on whichever thread replies
 * (an actor's executor, a thread the actor handed the call to), once per reply; an implementation keeps any
 * per-call state (a sequence number) in its own instance.
 */
public interface CallProtection {

    /** An AUTH_NONE verifier on accepted replies; arguments and results as they are. */
    CallProtection NONE = new CallProtection() {
        @Override
        public String toString() {
            return "CallProtection.NONE";
        }
    };

    /**
     * The arguments the actor's decoder reads: {@code arguments} itself, or what it unwraps to (krb5i checks a
     * checksum and a sequence number around them, krb5p decrypts them).
     *
     * @param call      the call whose arguments these are
     * @param arguments the call's arguments as received; valid during dispatch only
     * @return the arguments to decode, {@code arguments} itself or a new buffer
     * @throws XdrException if they do not unwrap: the call gets GARBAGE_ARGS (RFC 2203 section 5.3.3.4.2)
     */
    default ByteBuffer unwrapArguments(RpcCall call, ByteBuffer arguments) throws XdrException {
        return arguments;
    }

    /**
     * Writes the verifier of an accepted reply (an {@code opaque_auth}: flavor, then the body as variable-length
     * opaque) into {@code out}. Denied replies have none (RFC 5531 section 9). The default writes AUTH_NONE with
     * an empty body.
     *
     * @param call the call being answered
     * @param out  the reply being encoded, its header words written
     */
    default void writeVerifier(RpcCall call, XdrEncoder out) {
        out.writeInt(AuthFlavor.AUTH_NONE);
        out.writeInt(0);
    }

    /**
     * Replaces the results the actor's writer put in {@code out}, from {@code resultsStart} (an offset in the
     * message, see {@link XdrEncoder#size()}) to its end, with their protected form: read them through
     * {@link XdrEncoder#toBuffer()}, {@link XdrEncoder#truncate} back to {@code resultsStart}, write the wrapped
     * bytes. The default leaves them.
     *
     * @param call         the call being answered
     * @param out          the reply being encoded, its results last
     * @param resultsStart where the results begin in {@code out}
     */
    default void wrapResults(RpcCall call, XdrEncoder out, int resultsStart) {
    }
}
