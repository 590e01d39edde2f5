package io.ripcord.rpc;

import io.ripcord.rpc.auth.CallProtection;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.rpc.xdr.XdrWriter;
import io.ripcord.transport.Transport;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call being served (GlusterFS's {@code rpcsvc_request_t}; oncrpc4j's {@code RpcCall}): who called what,
 * and the way back. Reply with {@link #reply}, {@link #replyVoid()} or {@link #replyError(int)}, once, from
 * any thread, now or later; a second reply is ignored and returns {@code false}.
 *
 * <p>Replies are encoded unframed into the replying thread's encoder, with room before them for the record mark
 * a stream connection adds (a datagram gets the message alone), and handed to the connection, which writes them
 * at once when it can and copies only what it could not write.
 *
 * <p><b>Reuse.</b> A call on a stream connection that was answered on the poller during its dispatch, by the
 * service itself (an error, a denial) or by an actor {@linkplain RpcActor#repliesInline() declared to reply
 * inline}, is used again for a later call on that poller once its reply is written (see {@code CallPool}): such
 * calls cost no allocation. Every other call (an actor on an executor, one that replies later, a credential flavor
 * of the user's that saw the call) is never reused.
 */
public final class RpcCall {

    /** Room before a reply for a stream's record mark (RFC 5531 section 11), so framing it copies nothing. */
    private static final Logger log = LoggerFactory.getLogger(RpcCall.class);
    private static final int FRAME_HEADROOM = RecordMarking.HEADER_SIZE;
    private static final ThreadLocal<XdrEncoder> ENCODER =
            ThreadLocal.withInitial(() -> new XdrEncoder(1024, 64 * 1024 * 1024, true));
    private static final AtomicIntegerFieldUpdater<RpcCall> REPLIED =
            AtomicIntegerFieldUpdater.newUpdater(RpcCall.class, "replied");
    /** Writes XDR {@code void}: one object for every void reply. */
    private static final XdrWriter<Object> NOTHING = (e, v) -> { };

    /** Read again for the next call when the call is reused (see CallPool). */
    private final CallHeader header;
    /** Not final: a reused call gets the next call's origin. */
    private CallOrigin origin;
    /** 1 once a reply was sent (or the call dropped); a field updater keeps a call one object. */
    private volatile int replied;
    /** Set by dispatch on the poller before any actor sees the call. */
    private Object principal;
    private CallProtection protection = CallProtection.NONE;
    // Reuse; the poller's only (see CallPool).
    /** Answered on its origin's poller (written by that thread only). */
    private boolean answeredOnPoller;
    /** Handed to code that did not promise to keep no reference to it: never reused. */
    private boolean exposed;
    /** Dispatch is done with it, and it may be reused once {@link #released} too. */
    private boolean dispatched;
    /** The transport holds it no more: its reply was written (MSG_SENT), or it was dropped. */
    private boolean released;
    // Metrics: set by dispatch on the poller before any actor sees the call; read by the thread that ends it.
    /** Where the call is counted; {@code null} for a call dispatch did not count. */
    private ProcedureCounters counters;
    /** When the poller's work that read the call began ({@link System#nanoTime()}). */
    private long startNanos;
    /** Its flight recorder event, if a recording wanted one when it was opened. */
    private RpcCallEvent event;

    RpcCall(CallHeader header, CallOrigin origin) {
        this.header = header;
        this.origin = origin;
    }

    /**
     * The transaction id the caller chose; every reply echoes it.
     *
     * @return the xid, any 32-bit value
     */
    public int xid() {
        return header.xid();
    }

    /**
     * The program number the call names.
     *
     * @return the program number (an unsigned 32-bit value held in an {@code int})
     */
    public int program() {
        return header.program();
    }

    /**
     * The program version the call names.
     *
     * @return the version (unsigned 32-bit in an {@code int})
     */
    public int version() {
        return header.version();
    }

    /**
     * The procedure number the call names; 0 is NULL in every program.
     *
     * @return the procedure (unsigned 32-bit in an {@code int})
     */
    public int procedure() {
        return header.procedure();
    }

    /**
     * The flavor of the call's credential.
     *
     * @return an {@link AuthFlavor} number, or a private flavor's (GlusterFS's 390039)
     */
    public int credentialFlavor() {
        return header.credentialFlavor();
    }

    /**
     * The call's header: numbers, credential and verifier.
     *
     * @return the header; its byte views (credential and verifier bodies) are valid only during dispatch, on the
     *         poller
     */
    public CallHeader header() {
        return header;
    }

    /**
     * What the flavor's authenticator made of the credential: an {@link io.ripcord.rpc.auth.AuthSysCredential},
     * a {@link io.ripcord.rpc.auth.GlusterCredential}, {@link io.ripcord.rpc.auth.Authenticator#NONE}, or a
     * custom flavor's object. Set before the actor runs.
     *
     * @return the principal; {@code null} only before the credential step
     */
    public Object principal() {
        return principal;
    }

    void principal(Object p) {
        this.principal = p;
    }

    /**
     * What a security layer established about the peer of this call's connection, kept with the connection for
     * every call on it: after RFC 9289's TLS handshake an {@code io.ripcord.rpc.tls.TlsIdentity} (the verified
     * certificate chain and the user mapped from it), on a Unix socket whose AUTH_SYS uids are checked an
     * {@code io.ripcord.rpc.auth.UnixPeer}. {@code null} when nothing was established, and over UDP. It sits next
     * to {@link #principal()}, the caller this call's credential names. From any thread.
     *
     * @return the identity kept with the connection, or {@code null}
     */
    public Object connectionIdentity() {
        return origin.identity();
    }

    /**
     * For security layers, on the connection's owner poller: keeps {@code identity} as the
     * {@link #connectionIdentity()} of every later call on this call's connection (replacing what was kept), and
     * tells every registered program's {@link RpcProgramListener#onIdentified}.
     *
     * @param identity what the layer established about the peer
     * @return {@code false} over UDP, where there is no connection to keep it with
     */
    public boolean identifyConnection(Object identity) {
        return origin.identify(Objects.requireNonNull(identity, "identity"));
    }

    /**
     * The connection the call came on, to call its client back ({@code io.ripcord.rpc.client.RpcCallbacks}) or
     * to close it.
     *
     * @return the connection, or {@code null} over UDP
     */
    public Transport transport() {
        return origin.transport();
    }

    /**
     * The caller's address: the connection's peer, or the datagram's sender.
     *
     * @return the address (for a Unix socket client, often an unnamed {@link java.net.UnixDomainSocketAddress})
     */
    public SocketAddress remoteAddress() {
        return origin.remoteAddress();
    }

    /**
     * Whether the call has ended. From any thread.
     *
     * @return {@code true} once a reply was sent (or the call dropped), by any thread
     */
    public boolean isReplied() {
        return replied != 0;
    }

    /**
     * Sets how this call's arguments, results and reply verifier are protected. For a credential flavor, from its
     * {@link io.ripcord.rpc.auth.Authenticator#authenticate(CallHeader, RpcCall)}, on the poller, before the
     * actor runs.
     *
     * @param p the protection of this call; not {@code null}
     * @throws NullPointerException if {@code p} is null
     */
    public void protect(CallProtection p) {
        this.protection = Objects.requireNonNull(p, "protection");
    }

    CallProtection protection() {
        return protection;
    }

    /**
     * Ends the call with no reply at all, as RFC 2203 section 5.3.3.1 asks of a call outside the sequence
     * window; the connection counts it as answered (for its outstanding limit). From any thread.
     *
     * @return {@code false} if the call was replied to or dropped already
     */
    public boolean drop() {
        if (!claim()) {
            return false;
        }
        ended(ReplyStatus.DROPPED.ordinal()); // before the origin may give the call back for reuse
        origin.dropped(this);
        return true;
    }

    /**
     * Replies once {@code result} completes, from the thread that completes it: SUCCESS with its value encoded by
     * {@code writer}; GARBAGE_ARGS if it failed with an {@link XdrException} (arguments decoded late did not hold);
     * SYSTEM_ERR, logged at WARN, if it failed otherwise or its value breaks a limit of its XDR declaration. What
     * generated asynchronous servers reply with; from any thread.
     *
     * @param result the actor's result, to come
     * @param writer how to encode it
     * @param <T>    the result's type
     */
    public <T> void replyWhenDone(CompletionStage<T> result, XdrWriter<? super T> writer) {
        result.whenComplete((value, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof XdrException) {
                    log.debug("{}: the arguments do not decode: {}", this, cause.getMessage());
                    replyError(AcceptStat.GARBAGE_ARGS);
                } else {
                    log.warn("{}: the actor's result failed; replying SYSTEM_ERR", this, cause);
                    replyError(AcceptStat.SYSTEM_ERR);
                }
                return;
            }
            try {
                reply(value, writer);
            } catch (RuntimeException e) {
                // reply() answered SYSTEM_ERR already: the value broke a limit of its declaration.
                log.warn("{}: the result does not encode; replied SYSTEM_ERR", this, e);
            }
        });
    }

    /**
     * Replies SUCCESS with {@code result} encoded by {@code writer}. From any thread; the reply goes out at once
     * when the caller is the connection's poller and nothing is queued, else it is queued to it.
     *
     * @param result the results to encode (may be {@code null} if {@code writer} accepts it)
     * @param writer how to encode it
     * @param <T>    the result's type
     * @return {@code true} if this was the reply, {@code false} if the call was replied to or dropped already
     *         (nothing is encoded then)
     * @throws RuntimeException what {@code writer} threw when the result breaks a limit of its XDR declaration:
     *                          the call is answered SYSTEM_ERR before it is rethrown
     */
    public <T> boolean reply(T result, XdrWriter<? super T> writer) {
        if (!claim()) {
            return false;
        }
        XdrEncoder e = acceptedReply(AcceptStat.SUCCESS);
        int resultsStart = e.size();
        try {
            writer.write(e, result);
            protection.wrapResults(this, e, resultsStart);
        } catch (RuntimeException ex) {
            // A result that breaks its own XDR limits must not leave the caller waiting forever.
            replied = 0;
            replyAccepted(AcceptStat.SYSTEM_ERR, 0, 0);
            throw ex;
        }
        origin.send(e.toBuffer(), this);
        ended(ReplyStatus.SUCCESS.ordinal());
        return true;
    }

    /**
     * Replies SUCCESS with no result (the XDR {@code void}). From any thread.
     *
     * @return {@code true} if this was the reply, {@code false} if the call was replied to or dropped already
     */
    public boolean replyVoid() {
        return reply(null, NOTHING);
    }

    /**
     * Replies an accepted error: {@link AcceptStat#PROG_UNAVAIL}, {@link AcceptStat#PROC_UNAVAIL},
     * {@link AcceptStat#GARBAGE_ARGS} or {@link AcceptStat#SYSTEM_ERR}. From any thread.
     *
     * @param acceptStat the status, one of those four
     * @return {@code true} if this was the reply, {@code false} if the call was replied to or dropped already
     * @throws IllegalArgumentException if {@code acceptStat} is SUCCESS, PROG_MISMATCH (the service answers that
     *                                  itself, with the versions) or no {@code accept_stat} at all
     */
    public boolean replyError(int acceptStat) {
        if (acceptStat == AcceptStat.SUCCESS || acceptStat == AcceptStat.PROG_MISMATCH || acceptStat < 0
                || acceptStat > AcceptStat.SYSTEM_ERR) {
            throw new IllegalArgumentException("not an accepted error: " + AcceptStat.name(acceptStat));
        }
        return replyAccepted(acceptStat, 0, 0);
    }

    /**
     * Denies the call: MSG_DENIED, AUTH_ERROR with {@code authStat} (RFC 5531 section 9; RFC 2203 section 4 adds
     * RPCSEC_GSS_CREDPROBLEM and RPCSEC_GSS_CTXPROBLEM), with no verifier. For a credential flavor that answers
     * from another thread ({@link io.ripcord.rpc.auth.Authenticator#DEFERRED}), or an actor that refuses its
     * caller. From any thread.
     *
     * @param authStat an {@link AuthStat} value other than {@link AuthStat#AUTH_OK}
     * @return {@code false} if the call was replied to or dropped already
     * @throws IllegalArgumentException if {@code authStat} is {@link AuthStat#AUTH_OK}
     */
    public boolean replyAuthError(int authStat) {
        if (authStat == AuthStat.AUTH_OK) {
            throw new IllegalArgumentException("AUTH_OK denies nothing");
        }
        return replyDenied(RejectStat.AUTH_ERROR, authStat);
    }

    boolean replyAccepted(int acceptStat, int low, int high) {
        if (!claim()) {
            return false;
        }
        XdrEncoder e = acceptedReply(acceptStat);
        if (acceptStat == AcceptStat.PROG_MISMATCH) {
            e.writeInt(low);
            e.writeInt(high);
        }
        origin.send(e.toBuffer(), this);
        ended(ReplyStatus.accepted(acceptStat));
        return true;
    }

    /** MSG_DENIED: RPC_MISMATCH (with 2..2) or AUTH_ERROR (with {@code authStat}). A denied reply has no verifier. */
    boolean replyDenied(int rejectStat, int authStat) {
        if (!claim()) {
            return false;
        }
        XdrEncoder e = begin();
        e.writeInt(ReplyStat.MSG_DENIED);
        e.writeInt(rejectStat);
        if (rejectStat == RejectStat.RPC_MISMATCH) {
            e.writeInt(RpcService.RPC_VERSION);
            e.writeInt(RpcService.RPC_VERSION);
        } else {
            e.writeInt(authStat);
        }
        origin.send(e.toBuffer(), this);
        ended(ReplyStatus.denied(rejectStat, authStat));
        return true;
    }

    /**
     * Counts the call as opened on {@code c}; dispatch's, on the poller, before anything can answer it.
     *
     * @param c     the counters of its procedure
     * @param start when the poller's work that read it began
     */
    void count(ProcedureCounters c, long start) {
        counters = c;
        startNanos = start;
        c.opened();
        event = RpcCallEvent.beginIfRecording();
    }

    /** Counts how the call ended, by the thread that ended it (right after claiming it). */
    private void ended(int status) {
        ProcedureCounters c = counters;
        if (c != null) {
            long took = System.nanoTime() - startNanos;
            RpcCallEvent e = event;
            if (e != null) { // committed before the counts, so that whoever sees the count finds the event
                event = null;
                e.finish(this, ReplyStatus.of(status), c.actorName());
            }
            c.ended(status, took);
        }
    }

    /** Whether this thread is the one to answer: the first to try. */
    private boolean claim() {
        if (!REPLIED.compareAndSet(this, 0, 1)) {
            return false;
        }
        if (origin.inPoller()) {
            answeredOnPoller = true;
        }
        return true;
    }

    // --- reuse (CallPool), on the poller -------------------------------------------------------------------

    /** Dispatch hands the call to code that made no promise about it: it must never be reused. */
    void expose() {
        exposed = true;
    }

    /** Dispatch is done with the call: whether it may be reused once the transport lets go of it. */
    boolean dispatchedReusable() {
        if (exposed || replied == 0 || !answeredOnPoller) {
            return false;
        }
        dispatched = true;
        return true;
    }

    /**
     * The transport lets go of the call (its reply was written, or it was dropped).
     *
     * @return whether it may be reused now: dispatch was done with it already and found it reusable
     */
    boolean releasedByTransport() {
        released = true;
        return dispatched;
    }

    /** Whether the transport let go of the call already (its reply was written inline). */
    boolean isReleased() {
        return released;
    }

    /** Cleared for the next call, which {@link #begin} starts; its header is read again by then. */
    void recycle() {
        header.forgetMessage();
        origin = null;
        principal = null;
        protection = CallProtection.NONE;
        answeredOnPoller = false;
        exposed = false;
        dispatched = false;
        released = false;
        counters = null;
        event = null;
        replied = 0;
    }

    /** Starts the next call in a reused object. */
    void begin(CallOrigin origin) {
        this.origin = origin;
    }

    /** The reply so far: xid, REPLY, MSG_ACCEPTED, the verifier, {@code acceptStat}. */
    private XdrEncoder acceptedReply(int acceptStat) {
        XdrEncoder e = begin();
        e.writeInt(ReplyStat.MSG_ACCEPTED);
        protection.writeVerifier(this, e);
        e.writeInt(acceptStat);
        return e;
    }

    private XdrEncoder begin() {
        XdrEncoder e = ENCODER.get().reset(FRAME_HEADROOM);
        e.writeInt(header.xid());
        e.writeInt(MsgType.REPLY);
        return e;
    }

    @Override
    public String toString() {
        return "RpcCall[xid=" + Integer.toUnsignedString(xid()) + " " + Integer.toUnsignedString(program()) + " v"
                + Integer.toUnsignedString(version()) + " proc " + procedure() + " from " + remoteAddress() + "]";
    }
}
