package io.ripcord.rpc.client;

import io.ripcord.core.EventPool;
import io.ripcord.core.Timer;
import io.ripcord.rpc.RecordMarkingDecoder;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.xdr.XdrReader;
import io.ripcord.rpc.xdr.XdrWriter;
import io.ripcord.transport.Connector;
import io.ripcord.transport.DisconnectCause;
import io.ripcord.transport.ReconnectPolicy;
import io.ripcord.transport.Transport;
import io.ripcord.transport.TransportOptions;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONC RPC v2 client over one stream connection, TCP or Unix domain (GlusterFS's {@code rpc-clnt}). Calls
 * are record-marked (RFC 5531 section 11) and matched to their replies by xid; any number may be outstanding.
 *
 * <pre>{@code
 * RpcClient client = RpcClient.connect(pool, new InetSocketAddress("127.0.0.1", 24007),
 *         RpcClientOptions.defaults()).get();
 * CompletableFuture<Integer> r = client.call(PROG, 1, 1, XdrEncoder::writeInt, 41, XdrDecoder::readInt);
 * }</pre>
 *
 * <h2>How a call ends</h2>
 * Exactly once, with its result or one {@link RpcException}: the server's error reply (typed by
 * {@code accept_stat} / {@code reject_stat}), {@link RpcGarbageReplyException} for a reply that does not decode,
 * {@link RpcTimeoutException} when no reply came within its timeout ({@link CallOptions#timeout()}, default
 * {@link RpcClientOptions#callTimeout()}), or {@link RpcDisconnectedException} when the connection ended first
 * or the client was closed. A reply whose xid no call waits for (it timed out, or the server made it up) is
 * logged at DEBUG and dropped.
 *
 * <h2>Setup, ping, reconnect, callbacks</h2>
 * With {@link RpcClientOptions#connectionSetup()}, every new connection (the first and each reconnect) is
 * prepared before the client makes any other call on it: RFC 9289's probe and TLS, RPCSEC_GSS's context.
 * With {@link RpcClientOptions#pingInterval()} set, a silent server with calls outstanding is pinged (GF-DUMP
 * PING) and dropped after {@link RpcClientOptions#pingTimeout()} (cause TIMEOUT). With a
 * {@link RpcClientOptions#reconnectPolicy()}, a lost connection is made again with backoff and jitter; calls
 * made while there is no connection fail at once with {@link RpcDisconnectedException} (they do not wait), and
 * calls that were waiting when it was lost have failed: nothing is ever resent, since the server may have run
 * it. The server may call the client on the same connection: those calls are served by
 * {@link RpcClientOptions#callbackService()} or the programs given to {@link #serve}; replies go back on the
 * connection.
 *
 * <h2>Threads</h2>
 * Every public method may be called from any thread, except {@link #callSync}, which blocks and so refuses to
 * run on a poller. Futures complete on the connection's owner poller (or on the calling thread when a call
 * fails before it is sent): dependent stages must not block there; use the {@code *Async} stages with an
 * executor for work that does. Cancelling a returned future does not stop the call: its xid is forgotten when
 * the reply or the timeout comes.
 */
public final class RpcClient extends RouteCaller {

    private static final Logger log = LoggerFactory.getLogger(RpcClient.class);

    private final EventPool pool;
    private final SocketAddress address;
    private final RpcClientOptions options;
    private final TransportOptions transportOptions;
    private final Calls calls;
    /** The options' security flavor's state for this client, or {@code null}. */
    private final ClientSecurity.Session security;
    private final ConnectionSetup setup;
    private final Calls.Route route = new CurrentConnection();
    private final AtomicReference<ClientConnection> current = new AtomicReference<>();
    private final AtomicReference<RpcService> callbackService;
    private volatile boolean closed;
    private volatile DisconnectCause lastCause = DisconnectCause.EOF;
    private volatile Timer reconnectTimer;
    /** Whether a connection was made before: the next one is a reconnect. Written on the pollers, one at a time. */
    private volatile boolean everConnected;

    private RpcClient(EventPool pool, SocketAddress address, RpcClientOptions options) {
        this.pool = pool;
        this.address = address;
        this.options = options;
        int max = options.maxRecordSize();
        this.transportOptions = options.transportOptions().toBuilder()
                .decoder(() -> new RecordMarkingDecoder(max))
                .reconnectPolicy(options.reconnectPolicy())
                .build();
        this.security = options.security() == null ? null : options.security().newSession();
        this.setup = setup(options.connectionSetup(), security);
        this.calls = new Calls(options.callTimeout().toNanos(),
                security == null ? options.credential() : security.credential(), new ClientCounters());
        this.callbackService = new AtomicReference<>(options.callbackService());
    }

    /**
     * {@link #connect(EventPool, SocketAddress, RpcClientOptions)} with the default options: no reconnect, a 30 s
     * call timeout, AUTH_NONE. From any thread; pass a resolved address from a poller.
     *
     * @param pool    the event pool that will own the connection
     * @param address a TCP address or a {@link java.net.UnixDomainSocketAddress}
     * @return completes with the connected client, or exceptionally with an {@link RpcConnectException} naming the
     *         address
     */
    public static CompletableFuture<RpcClient> connect(EventPool pool, SocketAddress address) {
        return connect(pool, address, RpcClientOptions.defaults());
    }

    /**
     * Connects to an RPC server. From any thread; pass a resolved address from a poller.
     *
     * @param pool    the event pool that will own the connection
     * @param address a TCP address or a {@link java.net.UnixDomainSocketAddress}
     * @param options how to connect and call
     * @return completes with the connected client (once its {@link RpcClientOptions#connectionSetup() setup}, if
     *         any, is done), or exceptionally with an {@link RpcConnectException} naming the address once the
     *         reconnect policy (if any) gives up, or with the setup's own error
     */
    public static CompletableFuture<RpcClient> connect(EventPool pool, SocketAddress address,
                                                       RpcClientOptions options) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        RpcClient client = new RpcClient(pool, address, options);
        CompletableFuture<RpcClient> connected = new CompletableFuture<>();
        client.open().whenComplete((t, e) -> {
            if (e == null) {
                connected.complete(client);
                return;
            }
            client.close(); // no client for the caller: nothing may go on reconnecting behind its back
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            // The connect's own failures name the address; a setup's failure is the setup's to tell.
            boolean connectFailed = cause instanceof java.io.IOException
                    || cause instanceof java.nio.channels.UnresolvedAddressException;
            connected.completeExceptionally(connectFailed ? new RpcConnectException(address, cause) : cause);
        });
        return connected;
    }

    /** The options' setup, then the security flavor's, on each new connection. */
    private static ConnectionSetup setup(ConnectionSetup first, ConnectionSetup then) {
        if (first == null || then == null) {
            return first != null ? first : then;
        }
        return (connection, transport) -> first.prepare(connection, transport)
                .thenCompose(done -> then.prepare(connection, transport));
    }

    /** What prepares each new connection, or {@code null}. */
    ConnectionSetup connectionSetup() {
        return setup;
    }

    /** Connects once more; completes when the connection is connected and set up. */
    private CompletableFuture<Transport> open() {
        ClientConnection c = new ClientConnection(this);
        CompletableFuture<Transport> ready = Connector.connect(pool, address, transportOptions, c)
                .thenCompose(t -> c.ready());
        ready.whenComplete((t, e) -> {
            if (e != null) {
                calls.counters().connectFailures.increment();
            }
        });
        return ready;
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

    /** Calls go over the connection the client has now; with none, they fail at once. */
    private final class CurrentConnection implements Calls.Route {
        @Override
        public RpcException refusal(Pending<?> call) {
            return current.get() == null ? notConnected(call) : null;
        }

        @Override
        public void send(Pending<?> call, ByteBuffer message) {
            ClientConnection conn = current.get();
            if (conn == null) {
                call.fail(notConnected(call));
            } else {
                conn.send(call, message);
            }
        }

        private RpcDisconnectedException notConnected(Pending<?> call) {
            DisconnectCause cause = closed ? DisconnectCause.LOCAL_CLOSE : lastCause;
            return new RpcDisconnectedException(call.describe() + ": not connected to " + address
                    + (closed ? " (client closed)" : " (" + cause + ")"), cause, null);
        }
    }

    // --- callbacks ----------------------------------------------------------------------------------------

    /**
     * Serves {@code program} to the server on this client's connection (calls the server makes to the
     * client). Uses {@link RpcClientOptions#callbackService()}, or a service of its own made on first use.
     * From any thread.
     *
     * @param program the program version the server may call; its actors run as a service's do
     * @throws NullPointerException     if {@code program} is null
     * @throws IllegalArgumentException if that program version is served already
     */
    public void serve(RpcProgram program) {
        Objects.requireNonNull(program, "program");
        RpcService s = callbackService.get();
        if (s == null) {
            callbackService.compareAndSet(null, RpcService.create());
            s = callbackService.get();
        }
        s.register(program);
    }

    RpcService callbackService() {
        return callbackService.get();
    }

    // --- state --------------------------------------------------------------------------------------------

    /**
     * Whether the client has a connection now. From any thread.
     *
     * @return {@code true} if a connection is open and ready for calls (its {@link ConnectionSetup}, if any,
     *         done); the answer may be stale by the time it is read
     */
    public boolean isConnected() {
        ClientConnection c = current.get();
        return c != null && c.transport().isOpen();
    }

    /**
     * Calls waiting for a reply now. From any thread.
     *
     * @return the number of calls sent on the current connection and not yet ended; 0 when not connected
     */
    public int outstandingCalls() {
        ClientConnection c = current.get();
        return c == null ? 0 : c.outstanding.size();
    }

    /**
     * What this client has done: calls waiting now, calls made, replies, timeouts, calls failed by a lost
     * connection, reconnects and connect failures. From any thread.
     *
     * @return a snapshot
     */
    public RpcClientMetrics metrics() {
        return calls.counters().snapshot(outstandingCalls());
    }

    /**
     * The statedump's text of this client: its address, whether it is connected, its {@link #metrics()}, and one
     * line per call waiting for its reply (xid, program, version, procedure, how long it may still wait). From any
     * thread.
     *
     * @return lines separated by {@code \n}
     */
    public String describe() {
        ClientConnection c = current.get();
        StringBuilder b = new StringBuilder(toString()).append(": ")
                .append(c == null ? "not connected" : "connected " + c.transport()).append(closed ? ", closed" : "")
                .append("; ").append(metrics());
        if (c != null) {
            c.outstanding.describeTo(b);
        }
        return b.toString();
    }

    /** The address this client connects to. */
    @Override
    public SocketAddress address() {
        return address;
    }

    /**
     * The options the client was made with.
     *
     * @return the options; never {@code null}
     */
    public RpcClientOptions options() {
        return options;
    }

    /**
     * Closes the connection and stops reconnecting. Waiting calls fail at once with
     * {@link RpcDisconnectedException} ({@link DisconnectCause#LOCAL_CLOSE}), and so do calls made afterwards.
     * From any thread; idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Timer r = reconnectTimer;
        if (r != null) {
            r.cancel();
        }
        ClientConnection c = current.getAndSet(null);
        if (c != null) {
            if (security != null) {
                try {
                    security.closing(c.caller());
                } catch (RuntimeException e) {
                    log.warn("{}: the security flavor failed to say goodbye: {}", this, e.toString());
                }
            }
            c.close(DisconnectCause.LOCAL_CLOSE, "client closed");
        }
        log.debug("{} closed", this);
    }

    @Override
    public String toString() {
        return "RpcClient[" + address + "]";
    }

    // --- connection events (owner poller) -----------------------------------------------------------------


    void connected(ClientConnection conn) {
        if (everConnected) {
            calls.counters().reconnects.increment();
        }
        everConnected = true;
        current.set(conn);
        if (closed && current.compareAndSet(conn, null)) {
            conn.close(DisconnectCause.LOCAL_CLOSE, "client closed");
            return;
        }
        log.debug("{} connected: {}", this, conn.transport());
    }

    void disconnected(ClientConnection conn, DisconnectCause cause) {
        lastCause = cause;
        current.compareAndSet(conn, null);
        ReconnectPolicy policy = options.reconnectPolicy();
        if (closed || policy == null || cause == DisconnectCause.SHUTDOWN || pool.isShutdown()) {
            return;
        }
        long delay = policy.delayNanos(1);
        log.info("{}: connection lost ({}); reconnecting in {} ms", this, cause,
                TimeUnit.NANOSECONDS.toMillis(delay));
        try {
            reconnectTimer = pool.schedule(this::reconnect, delay, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            log.debug("{}: not reconnecting: {}", this, e.toString()); // the pool is shutting down
        }
    }

    private void reconnect() {
        if (closed) {
            return;
        }
        open().whenComplete((t, err) -> {
            if (err != null && !closed) {
                log.warn("{}: gave up reconnecting: {}", this, err.toString());
            }
        });
    }
}
