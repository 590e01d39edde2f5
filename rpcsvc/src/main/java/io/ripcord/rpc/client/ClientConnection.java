package io.ripcord.rpc.client;

import io.ripcord.core.Clock;
import io.ripcord.core.EventPool;
import io.ripcord.rpc.GfDump;
import io.ripcord.rpc.MsgType;
import io.ripcord.rpc.RecordMarking;
import io.ripcord.rpc.RpcService;
import io.ripcord.transport.DisconnectCause;
import io.ripcord.transport.Transport;
import io.ripcord.transport.TransportListener;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of an {@link RpcClient} (GlusterFS's {@code rpc_clnt_connection_t}): its waiting calls, its
 * setup, its ping, and the server's calls to the client. It is the {@link Calls.Route} of the calls made on it:
 * each is framed with its record mark (RFC 5531 section 11) here, at the stream. Event methods run on the
 * transport's owner poller; {@link #send} and {@link #close} from any thread.
 */
final class ClientConnection implements TransportListener, Calls.Route {

    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    private static final long MIN_PING_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    final Outstanding outstanding;
    private final RpcClient client;
    private final Clock clock;
    /** Completes when the connection is the client's: connected and set up. */
    private final CompletableFuture<Transport> ready = new CompletableFuture<>();
    private final long pingIntervalNanos;
    private final long pingTimeoutNanos;
    private volatile Transport transport;
    private volatile long lastReceivedNanos;
    /** When calls started being outstanding with the ping timer armed: silence before it does not count. */
    private volatile long watchFromNanos;
    private final AtomicBoolean pingArmed = new AtomicBoolean();
    /** Set before this side drops the connection for a reason of its own (the ping timeout). */
    private volatile DisconnectCause localCause;
    // Owner poller only:
    private long lastPingNanos;
    private int pingXid;
    private boolean pingInFlight;
    private TransportListener callbacks;

    ClientConnection(RpcClient client) {
        this.client = client;
        this.outstanding = new Outstanding(client.calls().counters());
        this.clock = client.pool().options().clock();
        this.pingIntervalNanos = client.options().pingInterval().toNanos();
        this.pingTimeoutNanos = client.options().pingTimeout().toNanos();
    }

    Transport transport() {
        return transport;
    }

    CompletableFuture<Transport> ready() {
        return ready;
    }

    @Override
    public RpcException refusal(Pending<?> call) {
        Transport t = transport;
        return t != null && t.isOpen() ? null : new RpcDisconnectedException(call.describe() + ": the connection to "
                + client.address() + " is closed", DisconnectCause.LOCAL_CLOSE, null);
    }

    /** Registers {@code call} and sends its unframed {@code message} as a record; from any thread. */
    @Override
    public void send(Pending<?> call, ByteBuffer message) {
        Transport t = transport;
        if (outstanding.add(call, t.poller())) {
            armPing(t);
            t.send(RecordMarking.frame(message), null);
        }
    }

    /** Fails every waiting call with {@code cause} and closes the transport; from any thread. */
    void close(DisconnectCause cause, String why) {
        outstanding.close(p -> new RpcDisconnectedException(p.describe() + ": " + why, cause, null));
        Transport t = transport;
        if (t != null) {
            t.close();
        }
    }

    // --- TransportListener: owner poller ------------------------------------------------------------------

    @Override
    public void onConnect(Transport t) {
        transport = t;
        lastReceivedNanos = clock.nanoTime();
        lastPingNanos = lastReceivedNanos - pingIntervalNanos;
        ConnectionSetup setup = client.connectionSetup();
        if (setup == null) {
            client.connected(this);
            ready.complete(t);
            return;
        }
        CompletionStage<?> prepared;
        try {
            prepared = setup.prepare(caller(), t);
        } catch (RuntimeException e) {
            prepared = CompletableFuture.failedFuture(e);
        }
        prepared.whenComplete((r, e) -> {
            if (e == null) {
                client.connected(this);
                ready.complete(t);
            } else {
                log.warn("{}: the connection's setup failed; closing it: {}", t, e.toString());
                ready.completeExceptionally(e);
                t.close();
            }
        });
    }

    @Override
    public void onMessage(Transport t, ByteBuffer message) throws Exception {
        lastReceivedNanos = clock.nanoTime();
        if (message.remaining() < 8) {
            log.debug("{}: a {}-byte record holds no xid and message type; dropped", t, message.remaining());
            return;
        }
        int p = message.position();
        int xid = message.getInt(p);
        int type = message.getInt(p + 4);
        if (type == MsgType.REPLY) {
            if (pingInFlight && xid == pingXid) {
                pingInFlight = false; // any answer, even PROG_UNAVAIL, proves the server alive
            } else if (!outstanding.onReply(xid, message)) {
                log.debug("{}: reply with unknown xid 0x{} dropped (timed out, or never ours)", t,
                        Integer.toHexString(xid));
            }
        } else if (type == MsgType.CALL) {
            serveCall(t, message);
        } else {
            log.debug("{}: message type {} dropped, xid 0x{}", t, type, Integer.toHexString(xid));
        }
    }

    /** The server calls the client (GlusterFS {@code rpcsvc_callback_submit}): serve it like a server would. */
    private void serveCall(Transport t, ByteBuffer message) throws Exception {
        if (callbacks == null) {
            RpcService service = client.callbackService();
            int xid = message.getInt(message.position());
            if (service == null && outstanding.contains(xid)) {
                // Our own call came back: an echo server, or something else that is no RPC server.
                log.debug("{}: the peer sent call xid 0x{} back; it does not speak ONC RPC", t, Integer.toHexString(xid));
                localCause = DisconnectCause.PROTOCOL;
                outstanding.close(p -> new RpcDisconnectedException(p.describe() + ": " + client.address()
                        + " sent the call back instead of a reply: it does not speak ONC RPC", DisconnectCause.PROTOCOL,
                        null));
                t.abort();
                return;
            }
            if (service == null) {
                log.debug("{}: call from the server dropped: no callback service (xid 0x{})", t,
                        Integer.toHexString(message.getInt(message.position())));
                return;
            }
            callbacks = service.acceptor().accept(t);
            callbacks.onAccept(t);
        }
        callbacks.onMessage(t, message);
    }

    @Override
    public void onMessageSent(Transport t, Object context) {
        if (callbacks != null) {
            callbacks.onMessageSent(t, context); // the callback service releases its throttle per reply written
        }
    }

    @Override
    public void onDisconnect(Transport t, DisconnectCause cause, Throwable error) {
        DisconnectCause why = localCause != null ? localCause : cause;
        // A protocol error's own words say what went wrong (a peer that does not speak ONC RPC, say).
        String detail = why == DisconnectCause.PROTOCOL && error != null ? why + ": " + error.getMessage() : why.name();
        outstanding.close(p -> new RpcDisconnectedException(p.describe() + ": connection to "
                + client.address() + " lost (" + detail + ")", why, error));
        ready.completeExceptionally(new RpcDisconnectedException("connection to " + client.address()
                + " lost during its setup (" + why + ")", why, error));
        if (callbacks != null) {
            callbacks.onDisconnect(t, cause, error);
        }
        client.disconnected(this, why);
    }

    @Override
    public void onCleanup(Transport t) {
        if (callbacks != null) {
            callbacks.onCleanup(t);
        }
    }

    // --- ping (GlusterFS rpc-clnt-ping.c) -----------------------------------------------------------------

    private void armPing(Transport t) {
        if (pingIntervalNanos > 0 && pingArmed.compareAndSet(false, true)) {
            watchFromNanos = clock.nanoTime();
            schedulePingCheck(t, pingIntervalNanos);
        }
    }

    private void schedulePingCheck(Transport t, long delayNanos) {
        try {
            t.poller().schedule(() -> pingCheck(t), Math.max(MIN_PING_CHECK_NANOS, delayNanos),
                    TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            log.debug("{}: ping timer not armed: {}", t, e.toString()); // the pool is shutting down
        }
    }

    private void pingCheck(Transport t) {
        assert t.inPoller();
        if (!t.isOpen()) {
            return;
        }
        if (outstanding.isEmpty()) {
            // Disarm, then look again: a call added meanwhile saw the timer armed and did not arm it.
            pingArmed.set(false);
            if (outstanding.isEmpty() || !pingArmed.compareAndSet(false, true)) {
                return;
            }
            watchFromNanos = clock.nanoTime();
        }
        long now = clock.nanoTime();
        long received = lastReceivedNanos;
        long from = watchFromNanos;
        long since = received - from > 0 ? received : from;
        long silent = now - since;
        if (silent >= pingTimeoutNanos) {
            log.warn("{}: nothing received for {} ms with {} calls outstanding; disconnecting (ping timeout)", t,
                    TimeUnit.NANOSECONDS.toMillis(silent), outstanding.size());
            localCause = DisconnectCause.TIMEOUT;
            t.abort();
            return;
        }
        if (silent >= pingIntervalNanos && now - lastPingNanos >= pingIntervalNanos) {
            lastPingNanos = now;
            sendPing(t);
        }
        long next = silent < pingIntervalNanos ? pingIntervalNanos - silent
                : Math.min(pingIntervalNanos, pingTimeoutNanos - silent);
        schedulePingCheck(t, next);
    }

    private void sendPing(Transport t) {
        int xid = client.calls().nextXid();
        pingXid = xid;
        pingInFlight = true;
        log.debug("{}: silent with calls outstanding; GF-DUMP PING xid 0x{}", t, Integer.toHexString(xid));
        t.send(RecordMarking.frame(Messages.encodeCall(xid, GfDump.PROGRAM, GfDump.VERSION, GfDump.PING,
                client.options().credential(), (e, v) -> { }, null)), null);
    }

    /** Makes calls on this connection only, whether or not it is the client's (its setup, its goodbye). */
    RpcCaller caller() {
        return new SetupCaller();
    }

    /** The calls of a {@link ConnectionSetup}: on this connection only, before it is the client's. */
    private final class SetupCaller extends RouteCaller {
        @Override
        Calls calls() {
            return client.calls();
        }

        @Override
        Calls.Route route() {
            return ClientConnection.this;
        }

        @Override
        EventPool pool() {
            return client.pool();
        }

        @Override
        public SocketAddress address() {
            return client.address();
        }

        /** Closes this connection (the setup gives up on it). */
        @Override
        public void close() {
            ClientConnection.this.close(DisconnectCause.LOCAL_CLOSE, "setup closed the connection");
        }
    }

    @Override
    public String toString() {
        return "ClientConnection[" + transport + "]";
    }
}
