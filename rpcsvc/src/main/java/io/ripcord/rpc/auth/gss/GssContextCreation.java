package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.ReplyHeader;
import io.ripcord.rpc.client.AuthErrorException;
import io.ripcord.rpc.client.CallOptions;
import io.ripcord.rpc.client.CallSigner;
import io.ripcord.rpc.client.Credential;
import io.ripcord.rpc.client.RpcCaller;
import io.ripcord.rpc.xdr.XdrEncoder;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One client context creation (RFC 2203 section 5.2): NULL calls carrying INIT, then CONTINUE_INIT, credentials
 * and GSS tokens over a connection, until the server's {@code rpc_gss_init_res} completes the context and its
 * verifier checks. Every step runs on the executor: the first token needs a service ticket from the KDC; the
 * calls themselves go through the connection, whose replies arrive on its poller and are handed back.
 */
final class GssContextCreation {

    /** Kerberos V5 completes in one round; a server asking for more than this is not talking Kerberos. */
    private static final int MAX_ROUNDS = 8;
    private static final int NULL_PROCEDURE = 0;

    private final GssClient config;
    private final RpcCaller connection;
    private final CompletableFuture<GssClientContext> result = new CompletableFuture<>();

    private GssContextCreation(GssClient config, RpcCaller connection) {
        this.config = config;
        this.connection = connection;
    }

    /**
     * Starts creating a context on {@code config}'s executor, over {@code connection}.
     *
     * @return completes with the established context, or with an {@link RpcGssException} saying why not
     */
    static CompletableFuture<GssClientContext> start(GssClient config, RpcCaller connection) {
        GssContextCreation creation = new GssContextCreation(config, connection);
        creation.step(() -> creation.round(GssInitiator.create(config.login(), config.target(), config.service()),
                1));
        return creation.result;
    }

    /** A step of the creation, on the executor; whatever fails it (the executor refusing too) fails the result. */
    private void step(Step step) {
        try {
            config.establishment().execute(() -> {
                try {
                    step.run();
                } catch (RpcGssException | RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(new RpcGssException("context for " + config.target()
                    + ": the executor refused to create it: " + e, e));
        }
    }

    private interface Step {
        void run() throws RpcGssException;
    }

    private void round(GssInitiator init, int round) throws RpcGssException {
        if (round > MAX_ROUNDS) {
            throw new RpcGssException("context for " + config.target() + ": not complete after " + MAX_ROUNDS
                    + " rounds");
        }
        byte[] argument = init.initArgument();
        InitSigner signer = new InitSigner(init.credential());
        connection.call(config.program(), config.version(), NULL_PROCEDURE, XdrEncoder::writeFixedOpaque, argument,
                d -> d.readFixedOpaque(d.remaining()), CallOptions.builder()
                        .credential(Credential.signedBy(AuthFlavor.RPCSEC_GSS, signer)).build())
                .whenComplete((results, failure) -> step(() -> {
                    if (failure != null) {
                        throw refused(failure);
                    }
                    if (init.handleReply(ByteBuffer.wrap(results), signer.verifierFlavor, signer.verifierBody)) {
                        result.complete(init.context());
                    } else {
                        round(init, round + 1);
                    }
                }));
    }

    /** What a failed context creation call means, in words a user can act on. */
    private RpcGssException refused(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String what = "context for " + config.target() + " at " + connection.address();
        if (cause instanceof AuthErrorException) {
            int stat = ((AuthErrorException) cause).authStat();
            if (stat == AuthStat.AUTH_BADCRED || stat == AuthStat.AUTH_REJECTEDCRED) {
                return new RpcGssException(what + ": the server refused the RPCSEC_GSS context creation call ("
                        + RpcGss.authStatName(stat) + "): it may not accept RPCSEC_GSS at all", cause);
            }
            return new RpcGssException(what + ": the server refused it with " + RpcGss.authStatName(stat)
                    + (stat == AuthStat.AUTH_FAILED ? " (its context table may be full; its log says)" : ""), cause);
        }
        return new RpcGssException(what + ": " + cause.getMessage(), cause);
    }

    /**
     * The credential of one context creation call, with an AUTH_NONE verifier (RFC 2203 section 5.2.2); keeps the
     * reply's verifier, which the initiator checks once the context is complete.
     */
    private static final class InitSigner implements CallSigner {
        private final byte[] credential;
        /** Written on the poller before the call's future completes, read after it: the future orders them. */
        private int verifierFlavor;
        private ByteBuffer verifierBody;

        InitSigner(GssCredential credential) {
            this.credential = credential.toBytes();
        }

        @Override
        public Object writeAuth(XdrEncoder out, int headerStart, int xid) {
            out.writeInt(AuthFlavor.RPCSEC_GSS);
            out.writeOpaque(credential, AuthFlavor.MAX_BODY);
            out.writeInt(AuthFlavor.AUTH_NONE);
            out.writeInt(0);
            return null;
        }

        @Override
        public ByteBuffer acceptReply(ReplyHeader reply, ByteBuffer results, Object call) {
            verifierFlavor = reply.verifierFlavor();
            verifierBody = ByteBuffer.wrap(GssProtection.copy(reply.verifierBody()));
            return results;
        }
    }
}
