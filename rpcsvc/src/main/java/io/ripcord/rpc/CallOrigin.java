package io.ripcord.rpc;

import io.ripcord.core.Poller;
import io.ripcord.transport.Transport;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * Where calls come from and where their replies go: a stream connection ({@link StreamConnection}, which frames
 * replies and counts calls against its outstanding limit) or one datagram's sender ({@link DatagramOrigin}).
 * Dispatch asks the origin to {@link #open} each call, so that counting is the origin's business and in plain
 * sight there.
 *
 * <p>Threads: {@link #open}, {@link #served} and {@link #identify} on the poller that dispatches; {@link #send} and
 * {@link #dropped} from whichever thread replies; {@link #inPoller} and {@link #identity} from any thread.
 */
interface CallOrigin {

    /** A call arrived with this header: make it (a stream connection counts it until its reply is written). */
    RpcCall open(CallHeader header);

    /** Sends {@code call}'s reply: an unframed message, with room before it for a stream's record mark. */
    void send(ByteBuffer reply, RpcCall call);

    /** {@code call} ended with no reply ({@link RpcCall#drop()}): it no longer counts. */
    void dropped(RpcCall call);

    /** Dispatch is done with {@code call} (its actor, if it ran inline, has returned). On the poller. */
    void served(RpcCall call);

    /**
     * When the poller's work that read the call now dispatched began: the poller's own stamp when it has one (no
     * clock read per call), else the clock now. On the poller that dispatches.
     */
    long workStartedNanos();

    /** Whether the calling thread is the poller that dispatches this origin's calls. */
    boolean inPoller();

    /** The connection, or {@code null} for a datagram. */
    Transport transport();

    SocketAddress remoteAddress();

    /** What a security layer established about the peer, kept for every call; {@code null} for a datagram. */
    Object identity();

    /**
     * Keeps {@code identity} with the connection and tells the programs' listeners; on the owner poller.
     *
     * @return {@code false} for a datagram, which has no connection to keep it with
     */
    boolean identify(Object identity);

    /** The stamp of the work {@code poller} runs now, or the clock if there is none (no poller, not its thread). */
    static long workStartedNanos(Poller poller) {
        long t = poller == null || !poller.inPoller() ? 0 : poller.workStartedNanos();
        return t != 0 ? t : System.nanoTime();
    }
}
