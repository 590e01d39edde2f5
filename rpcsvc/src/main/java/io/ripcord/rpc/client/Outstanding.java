package io.ripcord.rpc.client;

import io.ripcord.core.Poller;
import io.ripcord.core.Timer;
import io.ripcord.transport.DisconnectCause;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The calls of one connection waiting for replies, by xid (GlusterFS's {@code saved_frames}). Calls are added
 * from any thread; replies, timers and the close run on the connection's owner poller (close may also come
 * from {@link RpcClient#close()}). Every path that ends a call first removes it from the map, and only the
 * thread whose removal succeeds completes it.
 *
 * <p>Adding and closing race safely: {@link #add} publishes the call and then reads {@link #closedWith};
 * {@link #close} sets it and then sweeps the map. Whichever runs second sees the other, so a call added while
 * the connection ends is failed by one of them, never by both and never by neither.
 */
final class Outstanding {

    private final ConcurrentHashMap<Integer, Pending<?>> calls = new ConcurrentHashMap<>();
    private final ClientCounters counters;
    private volatile Function<Pending<?>, RpcException> closedWith;

    /** @param counters where replies, timeouts and calls failed by the close are counted */
    Outstanding(ClientCounters counters) {
        this.counters = counters;
    }

    /**
     * Registers a call and arms its deadline on {@code poller}.
     *
     * @return whether the call may be sent; if not, it has been failed already
     */
    boolean add(Pending<?> p, Poller poller) {
        if (calls.putIfAbsent(p.xid, p) != null) {
            // 2^32 calls later, one is still waiting: its xid cannot be reused.
            p.fail(new RpcException(p.describe() + ": xid still in use by an older call"));
            return false;
        }
        Function<Pending<?>, RpcException> closed = closedWith;
        if (closed != null) {
            if (calls.remove(p.xid, p)) {
                p.fail(closed.apply(p));
            }
            return false;
        }
        try {
            p.timer = poller.schedule(() -> expire(p), p.timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            if (calls.remove(p.xid, p)) {
                p.fail(new RpcDisconnectedException(p.describe() + ": the event pool is shutting down",
                        DisconnectCause.SHUTDOWN, e));
            }
            return false;
        }
        if (p.future.isDone()) {
            p.timer.cancel(); // the reply beat the timer's creation
        }
        return true;
    }

    private void expire(Pending<?> p) {
        if (calls.remove(p.xid, p)) {
            counters.timeouts.increment();
            p.fail(new RpcTimeoutException(p.describe() + ": no reply within "
                    + TimeUnit.NANOSECONDS.toMillis(p.timeoutNanos) + " ms"));
        }
    }

    /**
     * Completes the call a reply answers.
     *
     * @param reply the whole reply from its xid on
     * @return {@code false} if no call waits for {@code xid} (it timed out, or was never made)
     */
    boolean onReply(int xid, ByteBuffer reply) {
        Pending<?> p = calls.remove(xid);
        if (p == null) {
            return false;
        }
        counters.replies.increment();
        p.complete(reply);
        return true;
    }

    /** Fails every waiting call, and every call added from now on, with what {@code failure} makes. */
    void close(Function<Pending<?>, RpcException> failure) {
        closedWith = failure;
        for (Pending<?> p : calls.values()) {
            if (calls.remove(p.xid, p)) {
                counters.disconnected.increment();
                p.fail(failure.apply(p));
            }
        }
    }

    /** For a statedump: one line per waiting call, with the time it may still wait. From any thread. */
    void describeTo(StringBuilder out) {
        for (Pending<?> p : calls.values()) {
            out.append("\n  waiting: ").append(p.describe());
            Timer t = p.timer;
            if (t != null) {
                out.append(", times out in ").append(Math.max(0, t.delay(TimeUnit.MILLISECONDS))).append(" ms");
            }
        }
    }

    /** Whether a call with {@code xid} waits for its reply. */
    boolean contains(int xid) {
        return calls.containsKey(xid);
    }

    boolean isClosed() {
        return closedWith != null;
    }

    int size() {
        return calls.size();
    }

    boolean isEmpty() {
        return calls.isEmpty();
    }
}
