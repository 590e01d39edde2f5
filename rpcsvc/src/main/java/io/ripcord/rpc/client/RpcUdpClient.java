package io.ripcord.rpc.client;

import io.ripcord.core.EventPool;
import io.ripcord.core.PoolShutdownException;
import io.ripcord.core.Poller;
import io.ripcord.core.Timer;
import io.ripcord.rpc.MsgType;
import io.ripcord.rpc.xdr.XdrReader;
import io.ripcord.rpc.xdr.XdrWriter;
import io.ripcord.transport.DatagramEndpoint;
import io.ripcord.transport.DatagramHandler;
import io.ripcord.transport.DatagramOptions;
import io.ripcord.transport.DisconnectCause;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONC RPC v2 client over UDP (RFC 5531 section 3: one call per datagram, no record marking), for servers and
 * calls that speak it: rpcbind, NFS-style services, {@code RpcService.listenUdp}. Calls are matched to replies by
 * xid, as over TCP, and end the same way (see {@link RpcClient}): exactly once, with the result or one
 * {@link RpcException}.
 *
 * <pre>{@code
 * RpcUdpClient udp = RpcUdpClient.open(pool, new InetSocketAddress("127.0.0.1", 111));
 * udp.callSync(100000, 2, 0, RpcActor.IGNORED);                                  // rpcbind's NULL
 * int port = RpcbindClient.over(udp).getPort(100000, 2, Protocol.UDP).get();      // 111
 * }</pre>
 *
 * <h2>Loss</h2>
 * UDP may drop the call or the reply. An unanswered call is sent again, with the same xid, after
 * {@link RpcClientOptions#retransmitInterval()}, then after twice that, up to 8 times that, until its timeout
 * ends it with {@link RpcTimeoutException}. So the server may run a call more than once (at least once, as RFC
 * 5531 says of datagram transports): make only idempotent calls over UDP. A reply that comes from any address
 * but the server's is dropped and counted ({@link #foreignReplies()}), so another host cannot answer for it.
 * There is no connection, so nothing like a disconnect: an unreachable server shows as a timeout. A call
 * larger than a datagram can carry (65,507 bytes over IPv4) fails at once.
 *
 * <h2>Threads</h2>
 * Every public method may be called from any thread, except {@link #callSync}, which blocks and so refuses to run
 * on a poller. Futures complete on a poller: the socket's for replies, a timer's for timeouts.
 */
public final class RpcUdpClient extends RouteCaller {

    private static final Logger log = LoggerFactory.getLogger(RpcUdpClient.class);
    /** The IPv4 limit (65,535 - 20 - 8); IPv6 allows 8 bytes more without jumbograms, not worth a second case. */
    static final int MAX_DATAGRAM = 65_507;
    private static final int MAX_BACKOFF = 8;

    private final EventPool pool;
    private final InetSocketAddress server;
    private final RpcClientOptions options;
    private final long retransmitNanos;
    private final Calls calls;
    private final Calls.Route route = new Datagrams();
    private final ClientCounters counters = new ClientCounters();
    private final Outstanding outstanding = new Outstanding(counters);
    private final AtomicLong foreignReplies = new AtomicLong();
    private final DatagramEndpoint endpoint;
    private volatile boolean closed;

    private RpcUdpClient(EventPool pool, InetSocketAddress server, RpcClientOptions options) throws IOException {
        this.pool = pool;
        this.server = server;
        this.options = options;
        this.calls = new Calls(options.callTimeout().toNanos(), options.credential(), counters);
        this.retransmitNanos = options.retransmitInterval().toNanos();
        InetAddress any = InetAddress.getByAddress(server.getAddress() instanceof Inet6Address
                ? new byte[16] : new byte[4]);
        this.endpoint = DatagramEndpoint.bind(pool, new InetSocketAddress(any, 0), DatagramOptions.builder()
                .maxDatagramSize(Math.min(MAX_DATAGRAM, options.maxRecordSize())).build(), new Replies());
    }

    /**
     * {@link #open(EventPool, SocketAddress, RpcClientOptions)} with the default options: a 30 s call timeout, a
     * 1 s first retransmit interval, AUTH_NONE. From any thread.
     *
     * @param pool   the event pool whose poller will own the socket
     * @param server a resolved IP socket address (pollers must not wait on DNS)
     * @return the client, its socket bound
     * @throws IOException              if the socket cannot be opened or bound
     * @throws IllegalArgumentException if {@code server} is not a resolved IP socket address
     */
    public static RpcUdpClient open(EventPool pool, SocketAddress server) throws IOException {
        return open(pool, server, RpcClientOptions.defaults());
    }

    /**
     * Binds an ephemeral UDP port on {@code pool} for calls to {@code server}. From any thread; it does not wait
     * for the poller.
     *
     * @param pool    the event pool whose poller will own the socket
     * @param server  a resolved IP socket address (pollers must not wait on DNS)
     * @param options the call timeout, credential, retransmit interval, and the largest reply (at most 65,507
     *                bytes); connection options are ignored
     * @return the client, its socket bound
     * @throws IOException              if the socket cannot be opened or bound
     * @throws IllegalArgumentException if {@code server} is not a resolved IP socket address, or the options set
     *                                  a {@link RpcClientOptions#security() security flavor} (streams only)
     */
    public static RpcUdpClient open(EventPool pool, SocketAddress server, RpcClientOptions options)
            throws IOException {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(options, "options");
        if (!(server instanceof InetSocketAddress) || ((InetSocketAddress) server).isUnresolved()) {
            throw new IllegalArgumentException("not a resolved IP socket address: " + server);
        }
        if (options.security() != null) {
            // RPCSEC_GSS over UDP would need a new sequence number in every retransmission (RFC 2203 section
            // 5.3.3.1): a resent copy of the same datagram is a replay the server drops.
            throw new IllegalArgumentException("RpcClientOptions.security (" + options.security() + ") needs a "
                    + "stream connection: use RpcClient");
        }
        return new RpcUdpClient(pool, (InetSocketAddress) server, options);
    }

    // --- calls --------------------------------------------------------------------------------------------

    @Override
    Calls calls() {
        return calls;
    }

    @Override
    Calls.Route route() {
        return route;
    }

    @Override
    EventPool pool() {
        return pool;
    }

    /** One call, one datagram (no record mark), sent again until it is answered or times out. */
    private final class Datagrams implements Calls.Route {
        @Override
        public RpcException refusal(Pending<?> call) {
            return closed ? new RpcDisconnectedException(call.describe() + ": client closed",
                    DisconnectCause.LOCAL_CLOSE, null) : null;
        }

        @Override
        public void send(Pending<?> call, ByteBuffer message) {
            if (message.remaining() > MAX_DATAGRAM) {
                call.fail(new RpcException(call.describe() + ": a call of " + message.remaining()
                        + " bytes does not fit in a UDP datagram (at most " + MAX_DATAGRAM + ")"));
                return;
            }
            // The encoder's buffer is this thread's, reused by its next call; the message stays for resending.
            ByteBuffer copy = ByteBuffer.allocate(message.remaining()).put(message).flip();
            Poller poller = pool.next();
            if (outstanding.add(call, poller)) {
                endpoint.send(copy.duplicate(), server);
                new Resend(call, copy, poller).arm(retransmitNanos);
            }
        }
    }

    // --- state --------------------------------------------------------------------------------------------

    /**
     * Calls waiting for a reply now. From any thread.
     *
     * @return the number of calls sent and not yet ended
     */
    public int outstandingCalls() {
        return outstanding.size();
    }

    /**
     * Copies of calls sent again because no reply had come. From any thread.
     *
     * @return the count since the client was opened
     */
    public long retransmissions() {
        return counters.retransmissions.sum();
    }

    /**
     * What this client has done: calls, replies, timeouts, retransmissions (it never connects, so it has no
     * reconnects or connect failures). From any thread.
     *
     * @return a snapshot
     */
    public RpcClientMetrics metrics() {
        return counters.snapshot(outstanding.size());
    }

    /**
     * Datagrams dropped because they came from an address other than the server's. From any thread.
     *
     * @return the count since the client was opened
     */
    public long foreignReplies() {
        return foreignReplies.get();
    }

    /** The server this client calls. */
    @Override
    public SocketAddress address() {
        return server;
    }

    /**
     * The local address the client's socket is bound to. From any thread.
     *
     * @return the wildcard address of the server's family with the ephemeral port chosen
     */
    public SocketAddress localAddress() {
        return endpoint.address();
    }

    /**
     * Closes the socket. Waiting calls fail at once with {@link RpcDisconnectedException}
     * ({@link DisconnectCause#LOCAL_CLOSE}), and so do calls made afterwards. From any thread; idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        outstanding.close(p -> new RpcDisconnectedException(p.describe() + ": client closed",
                DisconnectCause.LOCAL_CLOSE, null));
        endpoint.close();
        log.debug("{} closed", this);
    }

    @Override
    public String toString() {
        return "RpcUdpClient[" + server + "]";
    }

    /** Sends a call again, with backoff, while it waits; on the poller its deadline timer runs on. */
    private final class Resend implements Runnable {
        private final Pending<?> call;
        private final ByteBuffer message;
        private final Poller poller;
        private long intervalNanos;
        private volatile Timer timer;

        Resend(Pending<?> call, ByteBuffer message, Poller poller) {
            this.call = call;
            this.message = message;
            this.poller = poller;
        }

        void arm(long nanos) {
            intervalNanos = nanos;
            try {
                timer = poller.schedule(this, nanos, TimeUnit.NANOSECONDS);
            } catch (RuntimeException e) {
                return; // the pool is shutting down: the call's own deadline (or the shutdown) ends it
            }
            call.future.whenComplete((r, e) -> timer.cancel());
        }

        @Override
        public void run() {
            if (call.future.isDone() || closed) {
                return;
            }
            counters.retransmissions.increment();
            log.debug("{}: no reply to {} yet; sending it again", RpcUdpClient.this, call);
            endpoint.send(message.duplicate(), server);
            intervalNanos = Math.min(intervalNanos * 2, retransmitNanos * MAX_BACKOFF);
            try {
                timer = poller.schedule(this, intervalNanos, TimeUnit.NANOSECONDS);
            } catch (RuntimeException e) {
                log.debug("{}: not resending {}: {}", RpcUdpClient.this, call, e.toString());
            }
        }
    }

    /** Replies, on the socket's owner poller. */
    private final class Replies implements DatagramHandler {
        @Override
        public void onDatagram(DatagramEndpoint e, ByteBuffer datagram, SocketAddress sender) {
            if (!server.equals(sender)) {
                foreignReplies.incrementAndGet();
                log.debug("{}: datagram from {} dropped: not the server", RpcUdpClient.this, sender);
                return;
            }
            if (datagram.remaining() < 8 || datagram.getInt(datagram.position() + 4) != MsgType.REPLY) {
                log.debug("{}: a datagram of {} bytes that is no reply dropped", RpcUdpClient.this,
                        datagram.remaining());
                return;
            }
            int xid = datagram.getInt(datagram.position());
            if (!outstanding.onReply(xid, datagram)) {
                log.debug("{}: reply with unknown xid 0x{} dropped (answered already, timed out, or never ours)",
                        RpcUdpClient.this, Integer.toHexString(xid));
            }
        }

        @Override
        public void onClose(DatagramEndpoint e, Throwable cause) {
            if (cause != null) {
                DisconnectCause why = cause instanceof PoolShutdownException ? DisconnectCause.SHUTDOWN
                        : DisconnectCause.RESET;
                outstanding.close(p -> new RpcDisconnectedException(p.describe() + ": the client's socket closed ("
                        + cause + ")", why, cause));
            }
        }
    }
}
