package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;

/**
 * The client side of context creation (RFC 2203 section 5.2): {@code GSS_Init_sec_context} rounds carried by
 * NULL calls with an INIT, then CONTINUE_INIT, credential, until the server's {@code rpc_gss_init_res} says
 * complete and its verifier (the MIC of the sequence window) checks. Then {@link #context()} is the context for
 * DATA calls. A caller's loop:
 * <pre>
 * GssInitiator init = GssInitiator.create(login, "nfs@server.example.com", GssService.INTEGRITY);
 * do {
 *     reply = callNull(init.credential(), init.initArgument());          // the RPC layer's NULL call
 * } while (!init.handleReply(reply.results(), reply.verifierFlavor(), reply.verifierBody()));
 * GssClientContext context = init.context();
 * </pre>
 *
 * <p><b>Threads.</b> One thread at a time; {@link #initArgument()} blocks (the first one asks the KDC for a
 * service ticket), so never on a poller.
 */
public final class GssInitiator {

    private static final byte[] EMPTY = new byte[0];
    /** Server tokens in {@code rpc_gss_init_res}: a Kerberos AP-REP is a few hundred bytes. */
    private static final int MAX_SERVER_TOKEN = 64 * 1024;

    private final GssLogin login;
    private final GSSContext gss;
    private final GssService service;
    private final String target;
    private byte[] nextToken;
    private byte[] handle = EMPTY;
    private GssClientContext established;

    private GssInitiator(GssLogin login, GSSContext gss, GssService service, String target) {
        this.login = login;
        this.gss = gss;
        this.service = service;
        this.target = target;
    }

    /**
     * Prepares a context for a service; nothing is sent yet.
     *
     * @param login   the client's credentials
     * @param target  the service: a host-based name {@code service@host} ({@code nfs@server.example.com}, as
     *                libtirpc's {@code authgss_create_default} takes it), or a principal name with a slash
     *                ({@code nfs/server.example.com@EXAMPLE.COM})
     * @param service the protection of every DATA call made with the context
     * @return the initiator
     * @throws RpcGssException when the login holds no usable ticket or the name does not parse
     */
    public static GssInitiator create(GssLogin login, String target, GssService service) throws RpcGssException {
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(service, "service");
        GSSManager manager = GSSManager.getInstance();
        try {
            GSSName name = target.indexOf('/') >= 0
                    ? manager.createName(target, RpcGss.KRB5_PRINCIPAL_NAME)
                    : manager.createName(target, GSSName.NT_HOSTBASED_SERVICE);
            GSSContext gss = manager.createContext(name, RpcGss.KRB5_MECHANISM, login.initiatorCredential(manager),
                    GSSContext.DEFAULT_LIFETIME);
            gss.requestMutualAuth(true);
            gss.requestInteg(true);
            gss.requestConf(service == GssService.PRIVACY);
            // RPCSEC_GSS does its own replay and sequence checks (RFC 2203 section 5.3.3.1); the mechanism's
            // would only flag the out-of-order tokens that concurrent calls produce.
            gss.requestReplayDet(false);
            gss.requestSequenceDet(false);
            return new GssInitiator(login, gss, service, target);
        } catch (GSSException e) {
            throw new RpcGssException(KerberosErrors.explain("context for " + target, e), e);
        }
    }

    /** {@return the credential of the next context creation call: INIT, then CONTINUE_INIT with the handle} */
    public GssCredential credential() {
        return new GssCredential(handle.length == 0 ? GssProc.INIT : GssProc.CONTINUE_INIT, 0, service, handle);
    }

    /**
     * The arguments of the next context creation call, {@code rpc_gss_init_arg}: the next GSS token. The first
     * call asks the KDC for a ticket for the service, so it blocks.
     *
     * @return the XDR bytes
     * @throws RpcGssException when Kerberos refuses (no ticket, unknown service principal, clock skew)
     */
    public byte[] initArgument() throws RpcGssException {
        if (established != null) {
            throw new IllegalStateException("context for " + target + " already established");
        }
        if (nextToken == null) {
            nextToken = initStep(EMPTY);
        }
        XdrEncoder out = new XdrEncoder();
        out.writeOpaque(nextToken, Integer.MAX_VALUE);
        return GssProtection.copy(out.toBuffer());
    }

    /**
     * Takes the server's answer to a context creation call.
     *
     * @param results        the reply's results: {@code rpc_gss_init_res}; its position is advanced
     * @param verifierFlavor the reply verifier's flavor
     * @param verifierBody   the reply verifier's body
     * @return true when the context is established ({@link #context()}), false when another round is needed
     * @throws RpcGssException when the server reports a GSS-API failure, the results do not decode, the
     *                         mechanism refuses the server's token, or the verifier does not check
     */
    public boolean handleReply(ByteBuffer results, int verifierFlavor, ByteBuffer verifierBody)
            throws RpcGssException {
        GssInitResult result;
        try {
            XdrDecoder d = new XdrDecoder(results);
            result = GssInitResult.decode(d, MAX_SERVER_TOKEN);
            if (d.hasRemaining()) {
                throw new XdrException(d.remaining() + " bytes after rpc_gss_init_res");
            }
        } catch (XdrException e) {
            throw new RpcGssException("context for " + target + ": the server's rpc_gss_init_res does not decode: "
                    + e.getMessage(), e);
        }
        if (!result.complete() && !result.continueNeeded()) {
            throw new RpcGssException("context for " + target + ": the server refused it with "
                    + GssMajor.name(result.gssMajor()) + ", minor status " + result.gssMinor()
                    + " (its log says why: often a key tab that does not match the KDC, or clock skew)");
        }
        handle = result.handle();
        nextToken = result.gssToken().length > 0 || !gss.isEstablished() ? initStep(result.gssToken()) : null;
        if (result.continueNeeded()) {
            if (gss.isEstablished() || nextToken == null) {
                throw new RpcGssException("context for " + target + ": the server wants another round the mechanism"
                        + " has no token for");
            }
            return false;
        }
        if (!gss.isEstablished()) {
            throw new RpcGssException("context for " + target + ": the server completed a context this side has not");
        }
        if (verifierFlavor != AuthFlavor.RPCSEC_GSS) {
            throw new RpcGssException("context for " + target + ": the reply verifier is of flavor " + verifierFlavor
                    + ", not RPCSEC_GSS with the MIC of the sequence window");
        }
        try {
            GssProtection.verifyMicOfInt(gss, result.seqWindow(), verifierBody);
        } catch (GSSException e) {
            throw new RpcGssException("context for " + target + ": the reply verifier is not the MIC of the sequence"
                    + " window; the reply did not come from the server the ticket is for (" + e.getMessage() + ")", e);
        }
        established = new GssClientContext(gss, handle, result.seqWindow(), service, target);
        return true;
    }

    /** {@return the established context} */
    public GssClientContext context() {
        if (established == null) {
            throw new IllegalStateException("context for " + target + " not established yet");
        }
        return established;
    }

    private byte[] initStep(byte[] token) throws RpcGssException {
        try {
            byte[] out = login.callAs(() -> gss.initSecContext(token, 0, token.length));
            return out == null ? EMPTY : out;
        } catch (GSSException e) {
            throw new RpcGssException(KerberosErrors.explain("context for " + target + " as " + login.principal(), e),
                    e);
        } catch (Exception e) {
            throw new RpcGssException("context for " + target + ": " + e, e);
        }
    }
}
