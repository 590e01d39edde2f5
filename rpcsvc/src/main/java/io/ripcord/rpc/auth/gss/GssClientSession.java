package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.AcceptStat;
import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.ReplyHeader;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.client.AuthErrorException;
import io.ripcord.rpc.client.CallOptions;
import io.ripcord.rpc.client.CallSigner;
import io.ripcord.rpc.client.ClientSecurity;
import io.ripcord.rpc.client.Credential;
import io.ripcord.rpc.client.RpcCaller;
import io.ripcord.rpc.client.RpcException;
import io.ripcord.rpc.client.RpcGarbageReplyException;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.Transport;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's RPCSEC_GSS state (a {@link GssClient} session): its context, how it is created and renewed, and
 * the signing of each call (RFC 2203 section 5.3).
 *
 * <p><b>Renewal.</b> Every creation is a future in {@link #latest}; calls are signed with {@link #current}, the
 * last context established. A call the server denies with RPCSEC_GSS_CREDPROBLEM or RPCSEC_GSS_CTXPROBLEM asks for
 * a new context in place of the one it was signed with: the first such call starts a creation and the others
 * (and calls denied after it completed) get the same future, so a server restart costs one creation however many
 * calls were in flight. Superseded contexts are not disposed of: replies to calls signed with them may still be
 * on their way, and disposing of a Kerberos context only clears its keys.
 *
 * <p><b>The sequence window.</b> The server drops a call whose sequence number is a window (128 on Ripcord's and
 * Linux's servers) below the highest it has seen. Calls on one connection arrive in the order they were sent, and
 * a number is taken when a call is encoded, right before it is sent; so only a call whose thread stalls between
 * the two while a window of later calls overtakes it can fall out, and then it times out. The client does not
 * hold calls back to the window.
 *
 * <p>Threads: the signer's {@code writeAuth} and {@code wrapArguments} on callers' threads, its
 * {@code acceptReply} and {@code renewAfter} on the connection's poller, {@link #prepare} on the poller after
 * connecting, {@link #closing} on the closing thread; none blocks.
 */
final class GssClientSession implements ClientSecurity.Session {

    private static final Logger LOG = LoggerFactory.getLogger(GssClientSession.class);
    private static final int NULL_PROCEDURE = 0;

    private final GssClient config;
    private final Credential credential = Credential.signedBy(AuthFlavor.RPCSEC_GSS, new Signer(null));
    /** The latest context creation: running, done, or failed. */
    private final AtomicReference<CompletableFuture<GssClientContext>> latest = new AtomicReference<>();
    /** What calls are signed with: the context the latest successful creation made. */
    private volatile GssClientContext current;
    /** Makes calls on the client's latest connection: where contexts are renewed. */
    private volatile RpcCaller connection;

    GssClientSession(GssClient config) {
        this.config = config;
    }

    /** What one signed call keeps for its reply: the context it was signed with and its sequence number. */
    private record Signed(GssClientContext context, int seq) {
    }

    // --- ClientSecurity.Session ---------------------------------------------------------------------------

    @Override
    public Credential credential() {
        return credential;
    }

    /** The first connection creates the context; later ones keep it unless it has expired. */
    @Override
    public CompletionStage<?> prepare(RpcCaller connection, Transport transport) {
        this.connection = connection;
        GssClientContext c = current;
        if (c != null && !c.expired()) {
            return CompletableFuture.completedFuture(c);
        }
        return renew(c);
    }

    /** Sends DESTROY (RFC 2203 section 5.4) ahead of the close, then drops the context's keys. */
    @Override
    public void closing(RpcCaller on) {
        GssClientContext c = current;
        if (c == null) {
            return;
        }
        current = null;
        on.call(config.program(), config.version(), NULL_PROCEDURE, (e, nothing) -> { }, null, RpcActor.IGNORED,
                CallOptions.builder().credential(Credential.signedBy(AuthFlavor.RPCSEC_GSS, new Signer(c))).build());
        c.dispose(); // the DESTROY call was encoded by now; its reply, if it comes before the close, is not read
        LOG.debug("{}: context destroyed", config);
    }

    /**
     * The newest context that is not {@code stale}: the running creation, a newer finished one, or a new creation.
     */
    CompletableFuture<GssClientContext> renew(GssClientContext stale) {
        while (true) {
            CompletableFuture<GssClientContext> f = latest.get();
            if (f != null && !f.isCompletedExceptionally() && (!f.isDone() || f.join() != stale)) {
                return f;
            }
            CompletableFuture<GssClientContext> created = new CompletableFuture<>();
            if (latest.compareAndSet(f, created)) {
                LOG.debug("{}: creating a context{}", config, stale == null ? "" : " in place of " + stale);
                GssContextCreation.start(config, connection).whenComplete((c, e) -> {
                    if (e == null) {
                        current = c; // before anyone waiting on it resends with it
                        created.complete(c);
                    } else {
                        created.completeExceptionally(e);
                    }
                });
                return created;
            }
        }
    }

    @Override
    public String toString() {
        return "GssClientSession[" + config + "]";
    }

    // --- signing ----------------------------------------------------------------------------------------

    /** Signs DATA calls with the current context, or the DESTROY call of one context. */
    private final class Signer implements CallSigner {
        /** The context a DESTROY call ends; null for DATA calls. */
        private final GssClientContext destroying;

        Signer(GssClientContext destroying) {
            this.destroying = destroying;
        }

        /** Writes the credential with the next sequence number, then the MIC of the header as the verifier. */
        @Override
        public Object writeAuth(XdrEncoder out, int headerStart, int xid) {
            GssClientContext c = destroying != null ? destroying : current;
            if (c == null) {
                throw new IllegalStateException("no RPCSEC_GSS context for " + config.target()
                        + (latest.get() == null ? ": the connection was never set up" : ": the client is closed"));
            }
            if (destroying == null && c.expired()) {
                renew(c); // ahead of the server's CTXPROBLEM; this call still goes, and is resent if refused
            }
            try {
                int seq = c.nextSequence();
                out.writeInt(AuthFlavor.RPCSEC_GSS);
                int length = out.reserve(4);
                c.credential(destroying != null ? GssProc.DESTROY : GssProc.DATA, seq).encode(out);
                out.patchInt(length, out.size() - length - 4); // an XDR credential is whole words: no padding
                ByteBuffer message = out.toBuffer();
                byte[] mic = c.headerVerifier(message.slice(message.position() + headerStart,
                        out.size() - headerStart));
                out.writeInt(AuthFlavor.RPCSEC_GSS);
                out.writeOpaque(mic, AuthFlavor.MAX_BODY);
                return new Signed(c, seq);
            } catch (RpcGssException e) {
                throw new IllegalStateException(e.getMessage(), e); // the call fails with it
            }
        }

        @Override
        public void wrapArguments(XdrEncoder out, int argumentsStart, Object call) {
            Signed signed = (Signed) call;
            if (signed.context().service() == GssService.NONE) {
                return;
            }
            ByteBuffer message = out.toBuffer();
            ByteBuffer arguments = message.slice(message.position() + argumentsStart, out.size() - argumentsStart);
            out.truncate(argumentsStart); // the protection copies the arguments before it writes over them
            try {
                signed.context().wrapArguments(signed.seq(), arguments, out);
            } catch (RpcGssException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        /** The reply's verifier must be the MIC of the call's sequence number; SUCCESS results are unwrapped. */
        @Override
        public ByteBuffer acceptReply(ReplyHeader reply, ByteBuffer results, Object call) throws RpcException {
            Signed signed = (Signed) call;
            try {
                signed.context().checkReplyVerifier(signed.seq(), reply.verifierFlavor(), reply.verifierBody());
            } catch (RpcGssException e) {
                // What libtirpc reports for a reply verifier that does not validate (RFC 5531's "bogus response").
                AuthErrorException refused = new AuthErrorException(e.getMessage(), AuthStat.AUTH_INVALIDRESP);
                refused.initCause(e);
                throw refused;
            }
            if (reply.acceptStat() != AcceptStat.SUCCESS) {
                return results;
            }
            try {
                return signed.context().unwrapResults(signed.seq(), results);
            } catch (RpcGssException e) {
                throw new RpcGarbageReplyException("results from " + config.target() + " do not unwrap under "
                        + signed.context().service().krb5Name() + ": " + e.getMessage(), e);
            }
        }

        /** A new context after CREDPROBLEM or CTXPROBLEM (RFC 2203 section 5.3.3.3); nothing else is renewable. */
        @Override
        public CompletionStage<?> renewAfter(int authStat, Object call) {
            if (destroying != null || (authStat != RpcGss.RPCSEC_GSS_CREDPROBLEM
                    && authStat != RpcGss.RPCSEC_GSS_CTXPROBLEM)) {
                return null;
            }
            LOG.debug("{}: the server answered {}; renewing the context", config, RpcGss.authStatName(authStat));
            return renew(((Signed) call).context());
        }

        @Override
        public String toString() {
            return "GssClientSession.Signer[" + config + (destroying != null ? ", DESTROY" : "") + "]";
        }
    }
}
