package io.ripcord.rpc;

import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrWriter;
import io.ripcord.transport.Transport;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call being served (GlusterFS's {@code rpcsvc_request_t}; oncrpc4j's {@code RpcCall}): who called what,
 * and the way back. Reply with {@link #reply}, {@link #replyVoid()} or {@link #replyError(int)}, once, from
 * any thread, now or later; a second reply is ignored and returns {@code false}.
 */
public final class RpcCall {

    private static final ThreadLocal<XdrEncoder> ENCODER =
            ThreadLocal.withInitial(() -> new XdrEncoder(1024, 64 * 1024 * 1024, true));

    private final int xid;
    private final int program;
    private final int version;
    private final int procedure;
    private final int credentialFlavor;
    private final Object principal;
    private final Transport transport;
    private final SocketAddress remote;
    private final ReplySink sink;
    private final AtomicBoolean replied = new AtomicBoolean();

    RpcCall(int xid, int program, int version, int procedure, int credentialFlavor, Object principal,
            Transport transport, SocketAddress remote, ReplySink sink) {
        this.xid = xid;
        this.program = program;
        this.version = version;
        this.procedure = procedure;
        this.credentialFlavor = credentialFlavor;
        this.principal = principal;
        this.transport = transport;
        this.remote = remote;
        this.sink = sink;
    }

    public int xid() {
        return xid;
    }

    public int program() {
        return program;
    }

    public int version() {
        return version;
    }

    public int procedure() {
        return procedure;
    }

    /** The credential's flavor ({@link AuthFlavor}). */
    public int credentialFlavor() {
        return credentialFlavor;
    }

    /** What the flavor's authenticator made of the credential (e.g. an AUTH_SYS credential). */
    public Object principal() {
        return principal;
    }

    /** The connection the call came on, or {@code null} over UDP. */
    public Transport transport() {
        return transport;
    }

    /** The caller's address. */
    public SocketAddress remoteAddress() {
        return remote;
    }

    /** Whether a reply was already sent. */
    public boolean isReplied() {
        return replied.get();
    }

    /** Replies SUCCESS with {@code result} encoded by {@code writer}. */
    public <T> boolean reply(T result, XdrWriter<? super T> writer) {
        if (!replied.compareAndSet(false, true)) {
            return false;
        }
        XdrEncoder e = begin();
        e.writeInt(ReplyStat.MSG_ACCEPTED);
        writeNullVerifier(e);
        e.writeInt(AcceptStat.SUCCESS);
        try {
            writer.write(e, result);
        } catch (RuntimeException ex) {
            // A result that breaks its own XDR limits must not leave the caller waiting forever.
            replied.set(false);
            replyAccepted(AcceptStat.SYSTEM_ERR, 0, 0);
            throw ex;
        }
        sink.send(finish(e), this);
        return true;
    }

    /** Replies SUCCESS with no result (the XDR {@code void}). */
    public boolean replyVoid() {
        return reply(null, (e, v) -> { });
    }

    /**
     * Replies an accepted error: {@link AcceptStat#PROG_UNAVAIL}, {@link AcceptStat#PROC_UNAVAIL},
     * {@link AcceptStat#GARBAGE_ARGS} or {@link AcceptStat#SYSTEM_ERR}.
     */
    public boolean replyError(int acceptStat) {
        if (acceptStat == AcceptStat.SUCCESS || acceptStat == AcceptStat.PROG_MISMATCH || acceptStat < 0
                || acceptStat > AcceptStat.SYSTEM_ERR) {
            throw new IllegalArgumentException("not an accepted error: " + AcceptStat.name(acceptStat));
        }
        return replyAccepted(acceptStat, 0, 0);
    }

    boolean replyAccepted(int acceptStat, int low, int high) {
        if (!replied.compareAndSet(false, true)) {
            return false;
        }
        XdrEncoder e = begin();
        e.writeInt(ReplyStat.MSG_ACCEPTED);
        writeNullVerifier(e);
        e.writeInt(acceptStat);
        if (acceptStat == AcceptStat.PROG_MISMATCH) {
            e.writeInt(low);
            e.writeInt(high);
        }
        sink.send(finish(e), this);
        return true;
    }

    /** MSG_DENIED: RPC_MISMATCH (with 2..2) or AUTH_ERROR (with {@code authStat}). A denied reply has no verifier. */
    boolean replyDenied(int rejectStat, int authStat) {
        if (!replied.compareAndSet(false, true)) {
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
        sink.send(finish(e), this);
        return true;
    }

    private XdrEncoder begin() {
        XdrEncoder e = ENCODER.get();
        if (sink.recordMarking()) {
            RecordMarking.startRecord(e);
        } else {
            e.reset();
        }
        e.writeInt(xid);
        e.writeInt(MsgType.REPLY);
        return e;
    }

    private ByteBuffer finish(XdrEncoder e) {
        return sink.recordMarking() ? RecordMarking.finishRecord(e) : e.toBuffer();
    }

    private static void writeNullVerifier(XdrEncoder e) {
        e.writeInt(AuthFlavor.AUTH_NONE);
        e.writeInt(0);
    }

    @Override
    public String toString() {
        return "RpcCall[xid=" + Integer.toUnsignedString(xid) + " " + Integer.toUnsignedString(program) + " v"
                + Integer.toUnsignedString(version) + " proc " + procedure + " from " + remote + "]";
    }

    /** Where replies go: a stream connection (record-marked) or a datagram socket. */
    interface ReplySink {
        boolean recordMarking();

        void send(ByteBuffer reply, RpcCall call);
    }
}
