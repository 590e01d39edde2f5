package io.ripcord.rpc.client;

import io.ripcord.core.Timer;
import io.ripcord.rpc.xdr.XdrReader;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One call waiting for its reply (GlusterFS's {@code saved_frame}). It is completed only by whoever removes it
 * from its {@link Outstanding} map: the reply, its timer, or the end of its connection. That removal is the
 * single completion guard, so each call ends exactly once.
 *
 * @param <T> the result type
 */
final class Pending<T> {

    final int xid;
    final int program;
    final int version;
    final int procedure;
    final long timeoutNanos;
    final Credential credential;
    final CompletableFuture<T> future;
    private final XdrReader<? extends T> reader;
    /** What the credential's signer keeps of this call for checking its reply; set once, before it is sent. */
    Object authState;
    /** Sends the call again after a denial its signer can renew, or {@code null}; set once, before it is sent. */
    Calls.Resend resend;
    /** Set once after the call is registered; the winner cancels it. */
    volatile Timer timer;

    Pending(int xid, int program, int version, int procedure, XdrReader<? extends T> reader, long timeoutNanos,
            Credential credential) {
        this(xid, program, version, procedure, reader, timeoutNanos, credential, new CompletableFuture<>());
    }

    private Pending(int xid, int program, int version, int procedure, XdrReader<? extends T> reader,
                    long timeoutNanos, Credential credential, CompletableFuture<T> future) {
        this.future = future;
        this.xid = xid;
        this.credential = credential;
        this.program = program;
        this.version = version;
        this.procedure = procedure;
        this.reader = reader;
        this.timeoutNanos = timeoutNanos;
    }

    /** Decodes the reply (positioned at its xid) and completes the future with the result or the error. */
    void complete(ByteBuffer reply) {
        T result;
        try {
            result = Messages.decodeReply(reply, this, reader);
        } catch (AuthErrorException e) {
            if (resend != null && resend.after(e)) {
                cancelTimer(); // the call goes on as its copy, which has a timer of its own
            } else {
                fail(e);
            }
            return;
        } catch (RpcException e) {
            fail(e);
            return;
        }
        cancelTimer();
        future.complete(result);
    }

    /** This call once more, under a new xid, completing the same future; it is not sent again after that. */
    Pending<T> again(int newXid) {
        return new Pending<>(newXid, program, version, procedure, reader, timeoutNanos, credential, future);
    }

    void fail(Throwable error) {
        cancelTimer();
        future.completeExceptionally(error);
    }

    private void cancelTimer() {
        Timer t = timer;
        if (t != null) {
            t.cancel();
        }
    }

    /** The call, for messages: "program 100000 version 4 procedure 3 (xid 0x1a2b3c4d)". */
    String describe() {
        return "program " + Integer.toUnsignedString(program) + " version " + Integer.toUnsignedString(version)
                + " procedure " + Integer.toUnsignedString(procedure) + " (xid 0x" + Integer.toHexString(xid) + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
