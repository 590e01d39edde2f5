package io.ripcord.rpc;

import io.ripcord.rpc.auth.AuthException;
import io.ripcord.rpc.auth.Authenticator;
import io.ripcord.rpc.auth.CallProtection;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link RpcService}'s checks of one received message and the dispatch of the call to its actor, in the order
 * the service's documentation lists: the header is parsed once ({@link CallHeader}), the call is opened by its
 * origin (which counts it), then each step either answers the call or hands it on. The same path serves stream
 * connections and datagrams; only the {@link CallOrigin} differs.
 *
 * <p>Threads: runs on the poller that received the message; it takes no lock (the program table is immutable
 * and replaced whole). An actor with an executor gets its arguments decoded here, from a copy, and runs there.
 */
final class CallDispatcher {

    private static final Logger log = LoggerFactory.getLogger(CallDispatcher.class);
    private static final ThreadLocal<XdrDecoder> DECODER =
            ThreadLocal.withInitial(() -> new XdrDecoder(ByteBuffer.allocate(0)));

    /** The flavors of this library, which read the credential's body only and keep no call. */
    private static final List<Authenticator> BUILT_IN =
            List.of(Authenticator.AUTH_NONE, Authenticator.AUTH_SYS, Authenticator.AUTH_GLUSTERFS_V2);

    private final RpcService service;

    CallDispatcher(RpcService service) {
        this.service = service;
    }

    /**
     * Checks and dispatches one message (from its position to its limit).
     *
     * @return {@code false} if the connection must close: the message is too short to hold an xid
     */
    boolean dispatch(ByteBuffer message, CallOrigin origin) {
        if (message.remaining() < 4) {
            log.debug("{}: a {}-byte record cannot hold an xid; closing", origin.remoteAddress(), message.remaining());
            return false;
        }
        CallHeader h = CallPool.local().parse(message);
        if (h.messageType() != MsgType.CALL) {
            notACall(h, message, origin);
            return true;
        }
        RpcCall call = origin.open(h);
        CallHeader.Defect defect = h.defect();
        // Its program is looked up once, here, so that every ending is counted where the call belongs.
        ServedProgram served = defect == CallHeader.Defect.RPC_VERSION || defect == CallHeader.Defect.TRUNCATED
                ? null : service.table().served(h.program(), h.version());
        call.count(served == null ? service.unmatched() : served.counters(h.procedure()), origin.workStartedNanos());
        if (defect == CallHeader.Defect.RPC_VERSION) {
            call.replyDenied(RejectStat.RPC_MISMATCH, 0);
        } else if (defect == CallHeader.Defect.TRUNCATED) {
            call.replyAccepted(AcceptStat.GARBAGE_ARGS, 0, 0);
        } else if (defect == CallHeader.Defect.CREDENTIAL) {
            call.replyDenied(RejectStat.AUTH_ERROR, AuthStat.AUTH_BADCRED);
        } else if (authenticate(h, call, origin)) {
            if (defect == CallHeader.Defect.VERIFIER) {
                call.replyDenied(RejectStat.AUTH_ERROR, AuthStat.AUTH_BADVERF);
            } else {
                serve(h, call, served, message, origin);
            }
        }
        origin.served(call);
        return true;
    }

    /** A REPLY on a stream goes to the reply handler, if any; anything else that is no CALL is dropped. */
    private void notACall(CallHeader h, ByteBuffer message, CallOrigin origin) {
        RpcReplyHandler replies = service.replyHandler();
        if (h.messageType() == MsgType.REPLY && origin.transport() != null && replies != null) {
            replies.onReply(origin.transport(), h.xid(), message);
        } else if (h.messageType() == CallHeader.NO_MESSAGE_TYPE) {
            log.debug("{}: record with only an xid dropped", origin.remoteAddress());
        } else {
            log.debug("{}: message type {} (not a CALL) dropped, xid {}", origin.remoteAddress(), h.messageType(),
                    h.xid());
        }
    }

    /**
     * The credential step: an unknown flavor, or one its authenticator refuses, is denied (never treated as
     * AUTH_NONE).
     *
     * @return whether dispatch goes on: not when the call was denied, answered or dropped by its flavor
     */
    private boolean authenticate(CallHeader h, RpcCall call, CallOrigin origin) {
        Authenticator auth = service.options().authenticator(h.credentialFlavor());
        if (auth == null) {
            log.debug("{}: credential flavor {} not accepted, xid {}", origin.remoteAddress(), h.credentialFlavor(),
                    h.xid());
            call.replyDenied(RejectStat.AUTH_ERROR, AuthStat.AUTH_BADCRED);
            return false;
        }
        if (!BUILT_IN.contains(auth)) {
            call.expose(); // a flavor of the user's sees the call: it may keep it
        }
        Object principal;
        try {
            principal = auth.authenticate(h, call);
        } catch (AuthException e) {
            log.debug("{}: credential refused: {}", origin.remoteAddress(), e.getMessage());
            call.replyDenied(RejectStat.AUTH_ERROR, e.authStat());
            return false;
        }
        if (principal == Authenticator.DEFERRED) {
            return false; // the flavor answers from another thread
        }
        if (principal == null) {
            if (!call.isReplied()) {
                log.warn("{}: flavor {} gave no principal and neither answered nor dropped {}; SYSTEM_ERR",
                        origin.remoteAddress(), h.credentialFlavor(), call);
                call.replyAccepted(AcceptStat.SYSTEM_ERR, 0, 0);
            }
            return false;
        }
        call.principal(principal);
        return true;
    }

    /**
     * Finds the program version (PROG_UNAVAIL, PROG_MISMATCH), checks its security policy (AUTH_ERROR), finds the
     * actor (PROC_UNAVAIL), decodes the arguments, runs it.
     */
    private void serve(CallHeader h, RpcCall call, ServedProgram served, ByteBuffer message, CallOrigin origin) {
        if (served == null) {
            RpcProgram[] versions = service.table().versions(h.program());
            if (versions == null) {
                call.replyAccepted(AcceptStat.PROG_UNAVAIL, 0, 0);
            } else {
                call.replyAccepted(AcceptStat.PROG_MISMATCH, versions[0].version(),
                        versions[versions.length - 1].version());
            }
            return;
        }
        RpcProgram program = served.program();
        int refused = program.security().check(call);
        if (refused != AuthStat.AUTH_OK) {
            log.debug("{}: {} refused by {}'s security policy: {}", origin.remoteAddress(), call, program,
                    AuthStat.name(refused));
            call.replyDenied(RejectStat.AUTH_ERROR, refused);
            return;
        }
        RpcActor<?> actor = program.actor(h.procedure());
        if (actor == null) {
            call.replyAccepted(AcceptStat.PROC_UNAVAIL, 0, 0);
            return;
        }
        Executor executor = actor.executor() != null ? actor.executor() : program.executor();
        Object args;
        try {
            args = decodeArguments(actor, call, h, message, executor != null);
        } catch (XdrException e) {
            log.debug("{}: garbage arguments for {}: {}", origin.remoteAddress(), call, e.getMessage());
            call.replyAccepted(AcceptStat.GARBAGE_ARGS, 0, 0);
            return;
        }
        if (executor != null || !actor.isReplyingInline()) {
            call.expose(); // it may answer later, or keep the call
        }
        if (executor == null) {
            run(actor, call, args);
            return;
        }
        try {
            executor.execute(() -> run(actor, call, args));
        } catch (RejectedExecutionException e) {
            log.warn("{}: executor of {} refused {}", origin.remoteAddress(), program, call);
            call.replyAccepted(AcceptStat.SYSTEM_ERR, 0, 0);
        }
    }

    /**
     * Decodes the arguments (after the call's protection unwrapped them), which must be consumed whole unless
     * the actor ignores them. For an actor that runs elsewhere they are decoded from a copy: the transport reuses
     * the message's buffer once dispatch returns.
     */
    private static Object decodeArguments(RpcActor<?> actor, RpcCall call, CallHeader h, ByteBuffer message,
                                          boolean copy) throws XdrException {
        CallProtection protection = call.protection();
        ByteBuffer args;
        if (protection == CallProtection.NONE) {
            args = message.position(h.argumentsAt());
        } else {
            args = protection.unwrapArguments(call, h.arguments());
        }
        XdrDecoder d;
        if (copy) {
            ByteBuffer own = ByteBuffer.allocate(args.remaining());
            own.put(args).flip();
            d = new XdrDecoder(own);
        } else {
            d = DECODER.get().reset(args);
        }
        Object a = d.read(actor.arguments());
        if (actor.arguments() != RpcActor.IGNORED && d.hasRemaining()) {
            throw new XdrException(d.remaining() + " bytes left after the arguments");
        }
        return a;
    }

    @SuppressWarnings("unchecked")
    private static void run(RpcActor<?> actor, RpcCall call, Object args) {
        try {
            ((RpcHandler<Object>) actor.handler()).handle(call, args);
        } catch (Throwable t) {
            if (call.replyAccepted(AcceptStat.SYSTEM_ERR, 0, 0)) {
                log.warn("{} ({}) threw; replied SYSTEM_ERR", actor.name(), call, t);
            } else {
                log.warn("{} ({}) threw after replying", actor.name(), call, t);
            }
        }
    }
}
