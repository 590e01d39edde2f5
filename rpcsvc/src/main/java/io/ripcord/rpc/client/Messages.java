package io.ripcord.rpc.client;

import io.ripcord.rpc.AcceptStat;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.CallHeader;
import io.ripcord.rpc.RecordMarking;
import io.ripcord.rpc.RejectStat;
import io.ripcord.rpc.ReplyHeader;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.rpc.xdr.XdrReader;
import io.ripcord.rpc.xdr.XdrWriter;
import java.nio.ByteBuffer;

/**
 * The client's side of RFC 5531 section 9: CALL messages out, REPLY messages in. Calls are encoded unframed, with
 * room before them for a stream's record mark (so framing them copies nothing; a datagram carries the message
 * alone). Stateless.
 */
final class Messages {

    /** Room before a call for a stream's record mark (RFC 5531 section 11). */
    private static final int FRAME_HEADROOM = RecordMarking.HEADER_SIZE;
    /** One per thread: calls are encoded on the caller's thread and sent (copied if not written) at once. */
    private static final ThreadLocal<XdrEncoder> ENCODER =
            ThreadLocal.withInitial(() -> new XdrEncoder(1024, 64 * 1024 * 1024, true));
    private static final ThreadLocal<XdrDecoder> DECODER =
            ThreadLocal.withInitial(() -> new XdrDecoder(ByteBuffer.allocate(0)));

    private Messages() {
    }

    /**
     * {@code call} as an unframed CALL in the calling thread's encoder, valid until that thread encodes the next
     * one; what its credential's signer keeps of it is stored in the call.
     *
     * @throws RuntimeException whatever {@code writer} throws for arguments that break their XDR limits
     */
    static <A> ByteBuffer encodeCall(Pending<?> call, XdrWriter<? super A> writer, A args) {
        return encode(call.xid, call.program, call.version, call.procedure, call.credential, writer, args, call);
    }

    /** A call whose reply is not checked against its credential (the ping: any answer proves life). */
    static <A> ByteBuffer encodeCall(int xid, int program, int version, int procedure, Credential credential,
                                     XdrWriter<? super A> writer, A args) {
        return encode(xid, program, version, procedure, credential, writer, args, null);
    }

    private static <A> ByteBuffer encode(int xid, int program, int version, int procedure, Credential credential,
                                         XdrWriter<? super A> writer, A args, Pending<?> forState) {
        XdrEncoder e = ENCODER.get().reset(FRAME_HEADROOM);
        int start = e.size();
        CallHeader.writeCall(e, xid, program, version, procedure);
        Object state = credential.writeAuth(e, start, xid);
        int argumentsStart = e.size();
        writer.write(e, args);
        CallSigner signer = credential.signer();
        if (signer != null) {
            signer.wrapArguments(e, argumentsStart, state);
        }
        if (forState != null) {
            forState.authState = state;
        }
        return e.toBuffer();
    }

    /**
     * Decodes a reply ({@code reply_body}, RFC 5531 section 9) into the call's result or its typed error.
     *
     * @param reply the message from its xid on
     * @throws RpcException the error the reply reports, or {@link RpcGarbageReplyException}
     */
    static <T> T decodeReply(ByteBuffer reply, Pending<?> call, XdrReader<? extends T> reader) throws RpcException {
        String what = call.describe();
        ReplyHeader h;
        try {
            h = ReplyHeader.parse(reply);
        } catch (XdrException e) {
            throw new RpcGarbageReplyException(what + ": the reply does not decode: " + e.getMessage(), e);
        }
        if (h.isAccepted()) {
            return accepted(h, reply, call, reader);
        }
        if (h.isDenied()) {
            if (h.rejectStat() == RejectStat.RPC_MISMATCH) {
                throw new RpcMismatchException(what + ": RPC_MISMATCH, the server speaks RPC versions "
                        + Integer.toUnsignedString(h.mismatchLow()) + " to " + Integer.toUnsignedString(h.mismatchHigh())
                        + ", not " + RpcService.RPC_VERSION, h.mismatchLow(), h.mismatchHigh());
            } else if (h.rejectStat() == RejectStat.AUTH_ERROR) {
                throw new AuthErrorException(what + ": AUTH_ERROR " + AuthStat.name(h.authStat())
                        + ", the server refused the credential", h.authStat());
            }
            throw new RpcGarbageReplyException(what + ": denied reply with unknown reject_stat " + h.rejectStat(),
                    null);
        }
        throw new RpcGarbageReplyException(what + ": reply with unknown reply_stat " + h.replyStat(), null);
    }

    private static <T> T accepted(ReplyHeader h, ByteBuffer reply, Pending<?> call, XdrReader<? extends T> reader)
            throws RpcException {
        String what = call.describe();
        CallSigner signer = call.credential.signer();
        if (signer != null && h.acceptStat() != AcceptStat.SUCCESS) {
            signer.acceptReply(h, h.results(), call.authState); // an error reply's verifier vouches for it too
        }
        switch (h.acceptStat()) {
            case AcceptStat.SUCCESS:
                return results(h, reply, call, reader);
            case AcceptStat.PROG_UNAVAIL:
                throw new ProgramUnavailableException(what + ": PROG_UNAVAIL, the server does not serve "
                        + "program " + Integer.toUnsignedString(call.program));
            case AcceptStat.PROG_MISMATCH:
                throw new ProgramMismatchException(what + ": PROG_MISMATCH, the server serves versions "
                        + Integer.toUnsignedString(h.mismatchLow()) + " to " + Integer.toUnsignedString(h.mismatchHigh())
                        + " only", h.mismatchLow(), h.mismatchHigh());
            case AcceptStat.PROC_UNAVAIL:
                throw new ProcedureUnavailableException(what + ": PROC_UNAVAIL, no such procedure in "
                        + "this program version");
            case AcceptStat.GARBAGE_ARGS:
                throw new GarbageArgsException(what + ": GARBAGE_ARGS, the server could not decode the "
                        + "arguments");
            case AcceptStat.SYSTEM_ERR:
                throw new SystemErrorException(what + ": SYSTEM_ERR, the server failed to serve the call");
            default:
                throw new RpcGarbageReplyException(what + ": reply with unknown accept_stat " + h.acceptStat(), null);
        }
    }

    /** Decodes a SUCCESS reply's results, after the credential's signer checked and unwrapped them. */
    private static <T> T results(ReplyHeader h, ByteBuffer reply, Pending<?> call, XdrReader<? extends T> reader)
            throws RpcException {
        String what = call.describe();
        CallSigner signer = call.credential.signer();
        ByteBuffer results = signer == null ? reply.position(h.resultsOffset())
                : signer.acceptReply(h, h.results(), call.authState);
        XdrDecoder d = DECODER.get().reset(results);
        T result;
        try {
            result = reader.read(d);
        } catch (XdrException e) {
            throw new RpcGarbageReplyException(what + ": the reply does not decode: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new RpcGarbageReplyException(what + ": the result reader failed: " + e, e);
        }
        if (reader != RpcActor.IGNORED && d.hasRemaining()) {
            throw new RpcGarbageReplyException(what + ": " + d.remaining() + " bytes left after the results", null);
        }
        return result;
    }
}
