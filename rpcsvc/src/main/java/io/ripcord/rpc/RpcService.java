package io.ripcord.rpc;

import io.ripcord.core.EventPool;
import io.ripcord.transport.Acceptor;
import io.ripcord.transport.DatagramEndpoint;
import io.ripcord.transport.DatagramHandler;
import io.ripcord.transport.DatagramOptions;
import io.ripcord.transport.Listener;
import io.ripcord.transport.ListenerOptions;
import io.ripcord.transport.TransportOptions;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONC RPC v2 service (RFC 5531): GlusterFS's {@code rpcsvc}. Programs are registered by (program,
 * version); calls arrive over TCP or Unix-domain streams (record marking) or UDP, are checked in the order
 * below and dispatched to actors, which reply through {@link RpcCall} from any thread.
 *
 * <ol>
 * <li>a record shorter than an xid: the connection is closed;</li>
 * <li>not a CALL: dropped, the connection keeps serving (a REPLY on a stream goes to the
 * {@linkplain #replyHandler(RpcReplyHandler) reply handler}, if there is one);</li>
 * <li>rpcvers other than 2: MSG_DENIED RPC_MISMATCH (2, 2);</li>
 * <li>a credential of a flavor with no authenticator, or one that does not decode: MSG_DENIED AUTH_ERROR
 * AUTH_BADCRED (never treated as AUTH_NONE); a verifier that does not decode: AUTH_BADVERF;</li>
 * <li>unknown program: PROG_UNAVAIL; known program, other version: PROG_MISMATCH with the lowest and
 * highest registered versions;</li>
 * <li>unknown procedure: PROC_UNAVAIL;</li>
 * <li>arguments that do not decode, or bytes left after them: GARBAGE_ARGS;</li>
 * <li>an actor that throws before replying: SYSTEM_ERR.</li>
 * </ol>
 *
 * <p>Throttling: at most {@link RpcServiceOptions#outstandingLimit()} calls per connection may be dispatched
 * and not yet answered; at the limit the connection stops reading, and it resumes when a reply has been
 * <em>written</em> to the socket (not merely queued), so a client that never reads its replies cannot grow
 * the server's memory. GlusterFS releases its throttle when the reply is queued; we wait for the write.
 *
 * <p>GF-DUMP, GlusterFS's program for listing programs and pinging, is registered first in every service
 * unless {@link RpcServiceOptions.Builder#gfDump(boolean)} leaves it out (a service that is no GlusterFS
 * server need not advertise one to every {@code rpcinfo} probe).
 *
 * <p>Operability: {@link #metrics()} counts every call per program version and procedure (calls, how they
 * ended, in flight, latency) at a few additions per call and no allocation; each call is a flight recorder event
 * {@code io.ripcord.RpcCall} while a recording wants it; {@link #dumpState(Appendable)} writes the programs with
 * their counts and the connections with their outstanding calls, GlusterFS statedump style.
 *
 * <p>Thread rules: register, unregister, listen, the getters, {@link #metrics()} and {@link #dumpState} from any
 * thread. Dispatch runs on the connection's owner poller; actors run there or on their executor.
 */
public final class RpcService {

    /** The only RPC protocol version (RFC 5531 section 9). */
    public static final int RPC_VERSION = 2;

    private static final Logger log = LoggerFactory.getLogger(RpcService.class);

    private final RpcServiceOptions options;
    private final Object lock = new Object();
    private final CallDispatcher dispatcher = new CallDispatcher(this);
    /** Open stream connections, for the statedump: added when made, removed at their disconnect. */
    private final Set<StreamConnection> connections = ConcurrentHashMap.newKeySet();
    private final Acceptor acceptor = t -> {
        StreamConnection c = new StreamConnection(this, t);
        connections.add(c);
        return c;
    };
    /** Replaced whole on every change, so dispatch reads it without a lock. */
    private volatile ProgramTable table = ProgramTable.EMPTY;
    private volatile RpcReplyHandler replyHandler;
    /** The calls no registered program version owns (see {@link RpcServiceMetrics#unmatched()}). */
    private final ProcedureCounters unmatched = new ProcedureCounters(-1, "(no program)");
    /** What {@link #listen} and {@link #listenUdp} bound, for the statedump. */
    private final List<Object> endpoints = new CopyOnWriteArrayList<>();

    private RpcService(RpcServiceOptions options) {
        this.options = options;
        if (options.gfDump()) {
            register(GfDump.program(this));
        }
    }

    /**
     * A service with the default options ({@link RpcServiceOptions#defaults()}): GF-DUMP registered, nothing
     * else.
     *
     * @return a new service, serving nowhere until {@link #listen} or {@link #listenUdp}
     */
    public static RpcService create() {
        return create(RpcServiceOptions.defaults());
    }

    /**
     * A service with these options; GF-DUMP is registered unless they leave it out.
     *
     * @param options how the service serves; not {@code null}
     * @return a new service, serving nowhere until {@link #listen} or {@link #listenUdp}
     * @throws NullPointerException if {@code options} is null
     */
    public static RpcService create(RpcServiceOptions options) {
        return new RpcService(Objects.requireNonNull(options, "options"));
    }

    /**
     * The options the service was created with.
     *
     * @return the options; never {@code null}
     */
    public RpcServiceOptions options() {
        return options;
    }

    /**
     * Adds a program version; calls to it are dispatched from the next record read on, on every connection,
     * already open or not.
     *
     * @param program the program version with its actors; not {@code null}
     * @throws NullPointerException     if {@code program} is null
     * @throws IllegalArgumentException if that (program, version) is registered already
     */
    public void register(RpcProgram program) {
        Objects.requireNonNull(program, "program");
        synchronized (lock) {
            ProgramTable t = table.with(program);
            if (t == null) {
                throw new IllegalArgumentException(program + " is registered already");
            }
            table = t;
        }
        log.debug("registered {}", program);
    }

    /**
     * Removes a program version; calls already dispatched still get their replies, later calls are answered as
     * for any program not registered (PROG_UNAVAIL, or PROG_MISMATCH if other versions remain).
     *
     * @param program the program number
     * @param version the program version
     * @return {@code true} if it was registered and is now removed, {@code false} if it was not registered
     */
    public boolean unregister(int program, int version) {
        synchronized (lock) {
            ProgramTable t = table.without(program, version);
            if (t == null) {
                return false;
            }
            table = t;
            return true;
        }
    }

    /**
     * Sends the REPLY messages that arrive on this service's stream connections to {@code handler} instead of
     * dropping them, so the server can call its clients back on their connections. From any thread.
     *
     * @param handler the handler, or {@code null} to drop replies again
     */
    public void replyHandler(RpcReplyHandler handler) {
        this.replyHandler = handler;
    }

    /**
     * The handler of replies from clients on this service's stream connections.
     *
     * @return the handler, or {@code null} (the default) when replies are dropped
     */
    public RpcReplyHandler replyHandler() {
        return replyHandler;
    }

    /**
     * The registered programs in registration order (GF-DUMP first, unless left out).
     *
     * @return an immutable snapshot of the programs registered now
     */
    public List<RpcProgram> programs() {
        return table.ordered();
    }

    /**
     * Serves this service on a stream socket (TCP, or a {@link java.net.UnixDomainSocketAddress}) with the
     * options' {@link RpcServiceOptions#listenerOptions() listener options}, record marking and record timeout.
     * Binds on the calling thread (a host name is resolved there); from any thread but a poller if the address
     * needs resolving.
     *
     * @param pool    the pool whose pollers accept and own the connections
     * @param address where to listen (port 0 for an ephemeral port: read it from the listener)
     * @return the listener, accepting once its poller has registered it; close it to stop serving there
     * @throws IOException if the address cannot be bound (a {@link java.net.BindException} naming the address)
     */
    public Listener listen(EventPool pool, SocketAddress address) throws IOException {
        ListenerOptions lo = options.listenerOptions();
        ListenerOptions withRecords = lo.toBuilder().transportOptions(streamOptions(lo.transportOptions())).build();
        Listener l = Listener.bind(pool, address, withRecords, acceptor);
        endpoints.add(l);
        return l;
    }

    /**
     * {@code base} with what a stream connection of this service needs: record marking with the maximum record
     * size, and the record timeout if one is set.
     *
     * @param base the socket options to start from; its decoder and frame timeout are replaced
     * @return new options; {@code base} is left as it is
     */
    public TransportOptions streamOptions(TransportOptions base) {
        TransportOptions.Builder b = base.toBuilder().decoder(() -> new RecordMarkingDecoder(options.maxRecordSize()));
        return options.recordTimeout().isZero() ? b.build() : b.frameTimeout(options.recordTimeout()).build();
    }

    /**
     * Serves this service over UDP: one call per datagram, the reply to its sender, with the default datagram
     * options. From any thread.
     *
     * @param pool    the pool whose poller (its chooser's pick) owns the socket and dispatches the calls
     * @param address a resolved IP address to bind (port 0 for an ephemeral port)
     * @return the endpoint, bound; close it to stop serving there
     * @throws IOException              if the socket cannot be opened or bound
     * @throws IllegalArgumentException if {@code address} is not a resolved IP socket address
     */
    public DatagramEndpoint listenUdp(EventPool pool, SocketAddress address) throws IOException {
        DatagramEndpoint e = DatagramEndpoint.bind(pool, address, DatagramOptions.defaults(), datagramHandler());
        endpoints.add(e);
        return e;
    }

    /**
     * The handler that serves this service on a datagram endpoint the caller binds itself (with its own
     * {@link DatagramOptions}); such an endpoint is not listed in {@link #dumpState}.
     *
     * @return a new handler that dispatches each datagram as one call and replies to its sender
     */
    public DatagramHandler datagramHandler() {
        return (endpoint, datagram, sender) -> dispatcher.dispatch(datagram, new DatagramOrigin(endpoint, sender));
    }

    /**
     * What serves this service on a stream {@link Listener} the caller binds itself (or on any {@code Transport}:
     * a test's embedded one, a client's connection the server calls back on): ACCEPT gives each connection its
     * listener. The connections need a {@link RecordMarkingDecoder}; {@link #streamOptions} adds one.
     *
     * @return the service's acceptor (the same one every time)
     */
    public Acceptor acceptor() {
        return acceptor;
    }

    /**
     * What this service has served, per registered program version and procedure, counted since each was
     * registered: calls, how they ended ({@link ReplyStatus}), in flight, and a latency histogram; plus the calls no
     * program owns. From any thread; the counts cost dispatch a few additions per call and no allocation.
     *
     * @return a snapshot; immutable
     */
    public RpcServiceMetrics metrics() {
        List<ProgramMetrics> ps = new ArrayList<>();
        for (ServedProgram p : table.served()) {
            ps.add(p.snapshot());
        }
        return new RpcServiceMetrics(ps, unmatched.snapshot());
    }

    /**
     * Writes the service's live state as text, GlusterFS statedump style: its options, what it listens on, every
     * program version with its counts ({@link #metrics()}), and every open stream connection with its calls
     * outstanding (dispatched, reply not yet written) and whether it stopped reading at the limit. The event
     * pool's own state (pollers, slots, timers) is {@link EventPool#dumpState(Appendable)}'s: a service may be
     * served by more than one pool, so it does not write one. From any thread; it waits for no poller (each
     * connection's count is read as that poller last wrote it).
     *
     * @param out where to write
     * @throws IOException if {@code out} fails
     */
    public void dumpState(Appendable out) throws IOException {
        List<StreamConnection> open = new ArrayList<>(connections);
        out.append("RpcService: outstanding limit ").append(String.valueOf(options.outstandingLimit()))
                .append(" per connection, max record ").append(String.valueOf(options.maxRecordSize()))
                .append(" B, ").append(String.valueOf(open.size())).append(" stream connections\n");
        for (Object e : endpoints) {
            out.append("  serving on ").append(describeEndpoint(e)).append('\n');
        }
        out.append("  programs:\n");
        for (String line : metrics().toString().split("\n")) {
            out.append("    ").append(line).append('\n');
        }
        out.append("  connections:\n");
        for (StreamConnection c : open) {
            out.append("    ").append(c.describe()).append('\n');
        }
    }

    private static String describeEndpoint(Object e) {
        if (e instanceof Listener) {
            Listener l = (Listener) e;
            return "stream " + l.address() + ": accepted " + l.acceptedCount() + ", refused " + l.refusedCount()
                    + ", open " + l.connectionCount();
        }
        DatagramEndpoint d = (DatagramEndpoint) e;
        return "datagram " + d.address() + ": received " + d.received() + ", sent " + d.sent() + ", dropped "
                + d.dropped();
    }

    @Override
    public String toString() {
        return "RpcService" + programs();
    }

    // --- for the dispatch path --------------------------------------------------------------------------------

    ProgramTable table() {
        return table;
    }

    CallDispatcher dispatcher() {
        return dispatcher;
    }

    ProcedureCounters unmatched() {
        return unmatched;
    }

    /** A stream connection disconnected: the statedump forgets it. */
    void forget(StreamConnection c) {
        connections.remove(c);
    }

    List<RpcProgramListener> programListeners() {
        return table.listeners();
    }
}
