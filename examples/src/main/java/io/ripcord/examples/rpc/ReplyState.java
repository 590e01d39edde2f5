package io.ripcord.examples.rpc;

import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.client.AuthErrorException;
import io.ripcord.rpc.client.GarbageArgsException;
import io.ripcord.rpc.client.ProcedureUnavailableException;
import io.ripcord.rpc.client.ProgramMismatchException;
import io.ripcord.rpc.client.ProgramUnavailableException;
import io.ripcord.rpc.client.RpcDisconnectedException;
import io.ripcord.rpc.client.RpcException;
import io.ripcord.rpc.client.RpcGarbageReplyException;
import io.ripcord.rpc.client.RpcMismatchException;
import io.ripcord.rpc.client.RpcTimeoutException;
import io.ripcord.rpc.client.SystemErrorException;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrException;

/**
 * How a call ended, as one word the user can grep for: the reply's {@code accept_stat} or {@code reject_stat}
 * (RFC 5531 section 9) with its details, or what the client saw instead of a reply. Stateless.
 */
final class ReplyState {

    private ReplyState() {
    }

    /**
     * The state of a failed call: {@code PROG_UNAVAIL}, {@code PROG_MISMATCH 1-2}, {@code PROC_UNAVAIL},
     * {@code GARBAGE_ARGS}, {@code SYSTEM_ERR}, {@code RPC_MISMATCH 2-2}, {@code AUTH_ERROR AUTH_BADCRED};
     * {@code GARBAGE_REPLY}, {@code TIMEOUT} or {@code DISCONNECTED} when no well-formed reply came.
     */
    static String of(RpcException e) {
        if (e instanceof ProgramUnavailableException) {
            return "PROG_UNAVAIL";
        } else if (e instanceof ProgramMismatchException m) {
            return "PROG_MISMATCH " + range(m.low(), m.high());
        } else if (e instanceof ProcedureUnavailableException) {
            return "PROC_UNAVAIL";
        } else if (e instanceof GarbageArgsException) {
            return "GARBAGE_ARGS";
        } else if (e instanceof SystemErrorException) {
            return "SYSTEM_ERR";
        } else if (e instanceof RpcMismatchException m) {
            return "RPC_MISMATCH " + range(m.low(), m.high());
        } else if (e instanceof AuthErrorException a) {
            return "AUTH_ERROR " + AuthStat.name(a.authStat());
        } else if (e instanceof RpcGarbageReplyException) {
            return "GARBAGE_REPLY";
        } else if (e instanceof RpcTimeoutException) {
            return "TIMEOUT";
        } else if (e instanceof RpcDisconnectedException) {
            return "DISCONNECTED";
        }
        return "FAILED";
    }

    /** Whether the server answered (with an error): the connection is still good for more calls. */
    static boolean isServerReply(RpcException e) {
        return !(e instanceof RpcGarbageReplyException || e instanceof RpcTimeoutException
                || e instanceof RpcDisconnectedException);
    }

    /** For stderr: {@code ProgramMismatchException: program 7 version 0 ...}. */
    static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String range(int low, int high) {
        return Integer.toUnsignedString(low) + "-" + Integer.toUnsignedString(high);
    }

    /**
     * Reads the results undecoded: every whole 4-byte XDR unit left in the reply. A reply with 1 to 3 bytes
     * beyond that is not XDR (RFC 4506 section 3); those bytes stay unread, and the client then reports the
     * reply as garbage (a result reader must consume everything, unless it is {@code RpcActor.IGNORED}).
     */
    static byte[] readRawResults(XdrDecoder d) throws XdrException {
        return d.readFixedOpaque(d.remaining() & ~3);
    }
}
