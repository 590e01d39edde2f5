package io.ripcord.rpc;

import java.nio.ByteBuffer;

/**
 * One poller thread's {@link RpcCall}s (each with its {@link CallHeader}) for reuse, so that a call answered inline
 * costs no allocation: dispatch reads each message's header into a spare call's header ({@link #parse}), the
 * origin takes that call for the message ({@link #open}), and a stream connection gives it back once dispatch is
 * done with it and its reply is written ({@link #recycle}), if it may be reused at all (see {@link RpcCall}).
 *
 * <p>Why per thread and not per connection: a connection keeps nothing between its calls then, and a poller
 * needs only as many calls as it has in flight at once. Calls answered on another thread, or kept by an actor,
 * are never given back: they are garbage as before.
 *
 * <p>Threads: each thread has its own ({@link #local()}); a call goes back to the pool of the thread that
 * dispatched it, which is its connection's poller.
 */
final class CallPool {

    /** Spare calls kept at most: beyond it they are left to the collector. */
    static final int KEPT = 1024;

    private static final ThreadLocal<CallPool> LOCAL = ThreadLocal.withInitial(CallPool::new);

    private RpcCall[] spare = new RpcCall[16];
    private int spares;
    /** The call whose header {@link #parse} read last, until an origin opens it. */
    private RpcCall parsed;

    private CallPool() {
    }

    /** This thread's pool. */
    static CallPool local() {
        return LOCAL.get();
    }

    /** Reads {@code message}'s header into a spare call's header (see {@link CallHeader#parse}). */
    CallHeader parse(ByteBuffer message) {
        RpcCall c = parsed;
        if (c == null) {
            c = spares > 0 ? spare[--spares] : new RpcCall(new CallHeader(), null);
            spare[spares] = null;
            parsed = c;
        }
        return c.header().read(message);
    }

    /**
     * The call for {@code header} from {@code origin}: the spare call {@link #parse} read it into, or a new one for
     * a header read elsewhere.
     */
    RpcCall open(CallHeader header, CallOrigin origin) {
        RpcCall c = parsed;
        if (c == null || c.header() != header) {
            return new RpcCall(header, origin);
        }
        parsed = null;
        c.begin(origin);
        return c;
    }

    /** Takes back a call that is done: answered inline, reply written; nobody refers to it any more. */
    void recycle(RpcCall call) {
        call.recycle();
        if (spares == spare.length) {
            if (spares == KEPT) {
                return;
            }
            RpcCall[] grown = new RpcCall[Math.min(KEPT, spares * 2)];
            System.arraycopy(spare, 0, grown, 0, spares);
            spare = grown;
        }
        spare[spares++] = call;
    }
}
