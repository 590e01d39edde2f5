package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.auth.CallProtection;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import java.nio.ByteBuffer;

/**
 * What {@link GssAuthenticator} does to one call it let through: the reply verifier (RFC 2203 sections 5.2.3.1
 * and 5.3.3.2) on every accepted reply, and for krb5i and krb5p the arguments unwrapped and the results wrapped
 * (section 5.3.2). The verifier is computed on the poller when the call is authenticated, so replying, from any
 * thread, can no longer fail for want of one.
 */
final class GssCallProtection implements CallProtection {

    private final int verifierFlavor;
    private final byte[] verifierBody;
    /** The context and credential of a DATA or DESTROY call; null for context creation (results in the clear). */
    private final GssServerContext context;
    private final GssCredential credential;

    private GssCallProtection(int verifierFlavor, byte[] verifierBody, GssServerContext context,
                              GssCredential credential) {
        this.verifierFlavor = verifierFlavor;
        this.verifierBody = verifierBody;
        this.context = context;
        this.credential = credential;
    }

    /** A context creation reply: its verifier, its {@code rpc_gss_init_res} unprotected. */
    static GssCallProtection ofInit(GssInitReply reply) {
        return new GssCallProtection(reply.verifierFlavor(), reply.verifierBody(), null, null);
    }

    /**
     * A DATA or DESTROY call accepted by {@link GssAcceptor#verifyCall}.
     *
     * @throws GssRejection AUTH_FAILED when the reply verifier cannot be signed
     */
    static GssCallProtection ofCall(GssServerContext context, GssCredential credential) throws GssRejection {
        return new GssCallProtection(AuthFlavor.RPCSEC_GSS, context.replyVerifier(credential), context, credential);
    }

    private boolean wraps() {
        return context != null && credential.service() != GssService.NONE;
    }

    @Override
    public ByteBuffer unwrapArguments(RpcCall call, ByteBuffer arguments) throws XdrException {
        if (!wraps()) {
            return arguments;
        }
        try {
            return context.unwrapArguments(credential, arguments);
        } catch (GssRejection r) {
            throw new XdrException(r.getMessage()); // GARBAGE_ARGS (section 5.3.3.4.2)
        }
    }

    @Override
    public void writeVerifier(RpcCall call, XdrEncoder out) {
        out.writeInt(verifierFlavor);
        out.writeOpaque(verifierBody, AuthFlavor.MAX_BODY);
    }

    @Override
    public void wrapResults(RpcCall call, XdrEncoder out, int resultsStart) {
        if (!wraps()) {
            return;
        }
        ByteBuffer message = out.toBuffer();
        ByteBuffer results = message.slice(message.position() + resultsStart, out.size() - resultsStart);
        out.truncate(resultsStart); // the protection copies the results before it writes over them
        try {
            context.wrapResults(credential, results, out);
        } catch (GssRejection r) {
            // RpcCall answers SYSTEM_ERR for a result it cannot write, as section 5.3.3.4.4 asks.
            throw new IllegalStateException(r.getMessage(), r);
        }
    }

    @Override
    public String toString() {
        return "GssCallProtection[" + (context == null ? "context creation" : context + " " + credential) + "]";
    }
}
