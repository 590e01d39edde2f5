package io.ripcord.rpc.client;

import io.ripcord.rpc.AcceptStat;
import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.MsgType;
import io.ripcord.rpc.RecordMarking;
import io.ripcord.rpc.RejectStat;
import io.ripcord.rpc.ReplyStat;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.rpc.xdr.XdrReader;
import io.ripcord.rpc.xdr.XdrWriter;
import java.nio.ByteBuffer;

/** The client's side of RFC 5531 section 9: CALL messages out, REPLY messages in. Stateless. */
final class Messages {

    /** One per thread: calls are encoded on the caller's thread and sent (copied if not written) at once. */
    private static final ThreadLocal<XdrEncoder> ENCODER =
            ThreadLocal.withInitial(() -> new XdrEncoder(1024, 64 * 1024 * 1024, true));
    private static final ThreadLocal<XdrDecoder> DECODER =
            ThreadLocal.withInitial(() -> new XdrDecoder(ByteBuffer.allocate(0)));

    private Messages() {
    }

    /**
     * A record-marked CALL in the calling thread's encoder: valid until that thread encodes the next one.
     *
     * @throws RuntimeException whatever {@code writer} throws for arguments that break their XDR limits
     */
    static <A> ByteBuffer encodeCall(int xid, int program, int version, int procedure, Credential credential,
                                     XdrWriter<? super A> writer, A args) {
        XdrEncoder e = ENCODER.get();
        RecordMarking.startRecord(e);
        e.writeInt(xid);
        e.writeInt(MsgType.CALL);
        e.writeInt(RpcService.RPC_VERSION);
        e.writeInt(program);
        e.writeInt(version);
        e.writeInt(procedure);
        credential.write(e);
        e.writeInt(AuthFlavor.AUTH_NONE);   // verifier: none of our flavors has one
        e.writeInt(0);
        writer.write(e, args);
        return RecordMarking.finishRecord(e);
    }

    /**
     * Decodes a reply ({@code reply_body}, RFC 5531 section 9) into the call's result or its typed error.
     *
     * @param reply the message from its xid on
     * @throws RpcException the error the reply reports, or {@link RpcGarbageReplyException}
     */
    static <T> T decodeReply(ByteBuffer reply, Pending<?> call, XdrReader<? extends T> reader) throws RpcException {
        XdrDecoder d = DECODER.get().reset(reply);
        String what = call.describe();
        try {
            d.readInt();                                           // xid, matched already
            d.readInt();                                           // REPLY, checked already
            int replyStat = d.readInt();
            if (replyStat == ReplyStat.MSG_ACCEPTED) {
                d.readInt();                                       // verifier flavor
                d.readOpaqueAsBuffer(AuthFlavor.MAX_BODY);         // verifier body: AUTH_NONE/SYS ones are not checked
                int acceptStat = d.readInt();
                switch (acceptStat) {
                    case AcceptStat.SUCCESS:
                        return results(d, what, reader);
                    case AcceptStat.PROG_UNAVAIL:
                        throw new ProgramUnavailableException(what + ": PROG_UNAVAIL, the server does not serve "
                                + "program " + Integer.toUnsignedString(call.program));
                    case AcceptStat.PROG_MISMATCH: {
                        int low = d.readInt();
                        int high = d.readInt();
                        throw new ProgramMismatchException(what + ": PROG_MISMATCH, the server serves versions "
                                + Integer.toUnsignedString(low) + " to " + Integer.toUnsignedString(high)
                                + " only", low, high);
                    }
                    case AcceptStat.PROC_UNAVAIL:
                        throw new ProcedureUnavailableException(what + ": PROC_UNAVAIL, no such procedure in "
                                + "this program version");
                    case AcceptStat.GARBAGE_ARGS:
                        throw new GarbageArgsException(what + ": GARBAGE_ARGS, the server could not decode the "
                                + "arguments");
                    case AcceptStat.SYSTEM_ERR:
                        throw new SystemErrorException(what + ": SYSTEM_ERR, the server failed to serve the call");
                    default:
                        throw new RpcGarbageReplyException(what + ": reply with unknown accept_stat " + acceptStat,
                                null);
                }
            } else if (replyStat == ReplyStat.MSG_DENIED) {
                int rejectStat = d.readInt();
                if (rejectStat == RejectStat.RPC_MISMATCH) {
                    int low = d.readInt();
                    int high = d.readInt();
                    throw new RpcMismatchException(what + ": RPC_MISMATCH, the server speaks RPC versions "
                            + Integer.toUnsignedString(low) + " to " + Integer.toUnsignedString(high)
                            + ", not " + RpcService.RPC_VERSION, low, high);
                } else if (rejectStat == RejectStat.AUTH_ERROR) {
                    int authStat = d.readInt();
                    throw new AuthErrorException(what + ": AUTH_ERROR " + AuthStat.name(authStat)
                            + ", the server refused the credential", authStat);
                }
                throw new RpcGarbageReplyException(what + ": denied reply with unknown reject_stat " + rejectStat,
                        null);
            }
            throw new RpcGarbageReplyException(what + ": reply with unknown reply_stat " + replyStat, null);
        } catch (XdrException e) {
            throw new RpcGarbageReplyException(what + ": the reply does not decode: " + e.getMessage(), e);
        }
    }

    private static <T> T results(XdrDecoder d, String what, XdrReader<? extends T> reader)
            throws RpcGarbageReplyException, XdrException {
        T result;
        try {
            result = reader.read(d);
        } catch (RuntimeException e) {
            throw new RpcGarbageReplyException(what + ": the result reader failed: " + e, e);
        }
        if (reader != RpcActor.IGNORED && d.hasRemaining()) {
            throw new RpcGarbageReplyException(what + ": " + d.remaining() + " bytes left after the results", null);
        }
        return result;
    }
}
