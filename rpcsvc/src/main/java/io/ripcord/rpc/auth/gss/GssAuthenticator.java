package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.AcceptStat;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.CallHeader;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.auth.AuthException;
import io.ripcord.rpc.auth.Authenticator;
import io.ripcord.rpc.xdr.XdrException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RPCSEC_GSS (RFC 2203) on an {@link io.ripcord.rpc.RpcService}: the {@link Authenticator} of flavor 6 over a
 * {@link GssAcceptor}.
 * <pre>{@code
 * GssAcceptor acceptor = GssAcceptor.fromKeytab(Path.of("/etc/krb5.keytab"), "nfs/server.example.com@EXAMPLE.COM",
 *         GssServerOptions.defaults());
 * RpcService service = RpcService.create(RpcServiceOptions.builder()
 *         .authenticator(AuthFlavor.RPCSEC_GSS, GssAuthenticator.establishingOn(acceptor, workers))
 *         .build());
 * service.register(RpcProgram.builder(PROG, 1, "KV").security(GssSecurity.atLeast(GssService.INTEGRITY))...);
 * }</pre>
 *
 * <h2>What each call gets</h2>
 * <table>
 *   <caption>Answers</caption>
 *   <tr><th>call</th><th>answer</th></tr>
 *   <tr><td>a credential that does not decode (version, proc or service unknown, bytes left over)</td>
 *       <td>AUTH_BADCRED</td></tr>
 *   <tr><td>INIT or CONTINUE_INIT on the NULL procedure</td><td>answered here, for any program: SUCCESS with
 *       {@code rpc_gss_init_res} and the MIC of the window as verifier (section 5.2.3.1); a GSS-API failure is a
 *       result with its major status; a token over {@link GssServerOptions#maxTokenSize()}: GARBAGE_ARGS; a full
 *       context table: AUTH_FAILED</td></tr>
 *   <tr><td>INIT or CONTINUE_INIT on another procedure, DESTROY on another procedure</td>
 *       <td>AUTH_BADCRED</td></tr>
 *   <tr><td>DATA</td><td>checked by {@link GssAcceptor#verifyCall} (unknown handle RPCSEC_GSS_CREDPROBLEM, expired
 *       context RPCSEC_GSS_CTXPROBLEM, replayed or below the window: no reply at all, header checksum wrong
 *       RPCSEC_GSS_CREDPROBLEM), then dispatched with the caller as {@link GssCaller}; every accepted reply
 *       (PROG_UNAVAIL, GARBAGE_ARGS, ... included) carries the MIC of the sequence number; krb5i/krb5p arguments
 *       that do not unwrap are GARBAGE_ARGS</td></tr>
 *   <tr><td>DESTROY on the NULL procedure</td><td>checked as DATA, answered SUCCESS (void results, protected as
 *       the credential says, with the verifier), then the context is forgotten</td></tr>
 * </table>
 *
 * <h2>Context creation off the poller</h2>
 * Creating a context decrypts a Kerberos ticket and may read the key tab when it changed: CPU and a little file
 * I/O, once per client context. {@link #establishingOn} does it on an executor and replies from there (the call
 * stays open, counted against its connection's outstanding limit, meanwhile); {@link #establishingInline} does it
 * on the poller, which is simpler and fine for small servers. Every other call is checked on the poller; none
 * blocks there.
 *
 * <p>Thread-safe: one instance serves every connection, concurrently.
 */
public final class GssAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(GssAuthenticator.class);
    /** The NULL procedure, which carries context creation and destruction (RFC 2203 sections 5.2.1, 5.4). */
    private static final int NULL_PROCEDURE = 0;

    private final GssAcceptor acceptor;
    /** Where contexts are created; null: on the poller. */
    private final Executor establishment;

    private GssAuthenticator(GssAcceptor acceptor, Executor establishment) {
        this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
        this.establishment = establishment;
    }

    /**
     * Creates contexts on {@code executor}, which replies to the context creation call.
     *
     * @param acceptor the service's acceptor
     * @param executor where context creation runs (a small pool: it is CPU work)
     * @return the authenticator
     */
    public static GssAuthenticator establishingOn(GssAcceptor acceptor, Executor executor) {
        return new GssAuthenticator(acceptor, Objects.requireNonNull(executor, "executor"));
    }

    /**
     * Creates contexts on the poller that received the call.
     *
     * @param acceptor the service's acceptor
     * @return the authenticator
     */
    public static GssAuthenticator establishingInline(GssAcceptor acceptor) {
        return new GssAuthenticator(acceptor, null);
    }

    /** {@return the acceptor, holding the contexts} */
    public GssAcceptor acceptor() {
        return acceptor;
    }

    /** Never called by dispatch, which calls {@link #authenticate(CallHeader, RpcCall)}. */
    @Override
    public Object authenticate(ByteBuffer body) throws AuthException {
        throw new AuthException(AuthStat.AUTH_BADCRED, "RPCSEC_GSS is checked over the whole call");
    }

    @Override
    public Object authenticate(CallHeader header, RpcCall call) throws AuthException {
        if (header.defect() == CallHeader.Defect.VERIFIER) {
            throw new AuthException(AuthStat.AUTH_BADVERF, "the verifier does not decode");
        }
        GssCredential credential;
        try {
            credential = GssCredential.decode(header.credentialBody());
        } catch (XdrException e) {
            throw new AuthException(AuthStat.AUTH_BADCRED, "RPCSEC_GSS credential: " + e.getMessage());
        }
        try {
            switch (credential.proc()) {
                case INIT:
                case CONTINUE_INIT:
                    return establish(header, call, credential);
                case DESTROY:
                    destroy(header, call, credential);
                    return null;
                default:
                    GssServerContext context = acceptor.verifyCall(credential, header.bytesThroughCredential(),
                            header.verifierFlavor(), header.verifierBody());
                    call.protect(GssCallProtection.ofCall(context, credential));
                    return new GssCaller(context.principal(), credential.service());
            }
        } catch (GssRejection r) {
            answer(call, r);
            return null;
        }
    }

    private Object establish(CallHeader header, RpcCall call, GssCredential credential) throws GssRejection {
        if (header.procedure() != NULL_PROCEDURE) {
            throw GssRejection.authError(AuthStat.AUTH_BADCRED, credential.proc() + " on procedure "
                    + Integer.toUnsignedString(header.procedure()) + ", not NULL");
        }
        ByteBuffer arguments = header.arguments();
        if (establishment == null) {
            reply(call, acceptor.establish(credential, arguments));
            return null;
        }
        // rpc_gss_init_arg is one opaque<>: refuse an oversized token before copying it for the executor.
        if (arguments.remaining() > 4 + ((acceptor.options().maxTokenSize() + 3) & ~3)) {
            throw GssRejection.garbageArgs("a " + arguments.remaining() + "-byte rpc_gss_init_arg exceeds the "
                    + acceptor.options().maxTokenSize() + "-byte token limit");
        }
        ByteBuffer copy = ByteBuffer.allocate(arguments.remaining()).put(arguments).flip();
        try {
            establishment.execute(() -> establishLater(call, credential, copy));
        } catch (RejectedExecutionException e) {
            LOG.warn("{}: the context creation executor refused {}; SYSTEM_ERR", call.remoteAddress(), call);
            call.replyError(AcceptStat.SYSTEM_ERR);
            return null;
        }
        return DEFERRED;
    }

    private void establishLater(RpcCall call, GssCredential credential, ByteBuffer arguments) {
        try {
            reply(call, acceptor.establish(credential, arguments));
        } catch (GssRejection r) {
            answer(call, r);
        } catch (RuntimeException e) {
            LOG.warn("{}: context creation failed; SYSTEM_ERR", call, e);
            call.replyError(AcceptStat.SYSTEM_ERR);
        }
    }

    private static void reply(RpcCall call, GssInitReply reply) {
        call.protect(GssCallProtection.ofInit(reply));
        call.reply(reply.result(), (out, result) -> result.encode(out));
    }

    private void destroy(CallHeader header, RpcCall call, GssCredential credential) throws GssRejection {
        if (header.procedure() != NULL_PROCEDURE) {
            throw GssRejection.authError(AuthStat.AUTH_BADCRED, "DESTROY on procedure "
                    + Integer.toUnsignedString(header.procedure()) + ", not NULL");
        }
        GssServerContext context = acceptor.verifyCall(credential, header.bytesThroughCredential(),
                header.verifierFlavor(), header.verifierBody());
        call.protect(GssCallProtection.ofCall(context, credential));
        call.replyVoid(); // built before the context goes: its verifier and wrapping need the context's keys
        acceptor.destroy(context);
        LOG.debug("{}: context of {} destroyed", call.remoteAddress(), context.principal());
    }

    /** The answer RFC 2203 gives a rejected call; from any thread. */
    private static void answer(RpcCall call, GssRejection r) {
        LOG.debug("{}: {}", call, r);
        switch (r.answer()) {
            case AUTH_ERROR:
                call.replyAuthError(r.authStat());
                break;
            case DROP:
                call.drop();
                break;
            case GARBAGE_ARGS:
                call.replyError(AcceptStat.GARBAGE_ARGS);
                break;
            default:
                call.replyError(AcceptStat.SYSTEM_ERR);
                break;
        }
    }

    @Override
    public String toString() {
        return "GssAuthenticator[" + acceptor.options() + (establishment == null ? ", inline" : "") + "]";
    }
}
