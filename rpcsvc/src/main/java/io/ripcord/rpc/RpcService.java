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
import java.util.List;
import java.util.Objects;
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
 * <p>Thread rules: register, unregister, listen and the getters from any thread. Dispatch runs on the
 * connection's owner poller; actors run there or on their executor.
 */
public final class RpcService {

    /** The only RPC protocol version (RFC 5531 section 9). */
    public static final int RPC_VERSION = 2;

    private static final Logger log = LoggerFactory.getLogger(RpcService.class);

    private final RpcServiceOptions options;
    private final Object lock = new Object();
    private final CallDispatcher dispatcher = new CallDispatcher(this);
    private final Acceptor acceptor = t -> new StreamConnection(this, t);
    /** Replaced whole on every change, so dispatch reads it without a lock. */
    private volatile ProgramTable table = ProgramTable.EMPTY;
    private volatile RpcReplyHandler replyHandler;

    private RpcService(RpcServiceOptions options) {
        this.options = options;
        if (options.gfDump()) {
            register(GfDump.program(this));
        }
    }

    public static RpcService create() {
        return create(RpcServiceOptions.defaults());
    }

    public static RpcService create(RpcServiceOptions options) {
        return new RpcService(Objects.requireNonNull(options, "options"));
    }

    public RpcServiceOptions options() {
        return options;
    }

    /**
     * Adds a program version.
     *
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

    /** Removes a program version; calls already dispatched still get their replies. */
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

    /** The handler of replies from clients, or {@code null}. */
    public RpcReplyHandler replyHandler() {
        return replyHandler;
    }

    /** The registered programs in registration order (GF-DUMP first, unless left out). */
    public List<RpcProgram> programs() {
        return table.ordered();
    }

    /** Serves this service on a stream socket (TCP, or a {@link java.net.UnixDomainSocketAddress}). */
    public Listener listen(EventPool pool, SocketAddress address) throws IOException {
        ListenerOptions lo = options.listenerOptions();
        ListenerOptions withRecords = lo.toBuilder().transportOptions(streamOptions(lo.transportOptions())).build();
        return Listener.bind(pool, address, withRecords, acceptor);
    }

    /**
     * {@code base} with what a stream connection of this service needs: record marking with the maximum record
     * size, and the record timeout if one is set.
     */
    public TransportOptions streamOptions(TransportOptions base) {
        TransportOptions.Builder b = base.toBuilder().decoder(() -> new RecordMarkingDecoder(options.maxRecordSize()));
        return options.recordTimeout().isZero() ? b.build() : b.frameTimeout(options.recordTimeout()).build();
    }

    /** Serves this service over UDP: one call per datagram, the reply to its sender. */
    public DatagramEndpoint listenUdp(EventPool pool, SocketAddress address) throws IOException {
        return DatagramEndpoint.bind(pool, address, DatagramOptions.defaults(), datagramHandler());
    }

    /** The handler that serves this service on a datagram endpoint the caller binds itself. */
    public DatagramHandler datagramHandler() {
        return (endpoint, datagram, sender) -> dispatcher.dispatch(datagram, new DatagramOrigin(endpoint, sender));
    }

    /**
     * What serves this service on a stream {@link Listener} the caller binds itself (or on any {@code Transport}:
     * a test's embedded one, a client's connection the server calls back on): ACCEPT gives each connection its
     * listener. The connections need a {@link RecordMarkingDecoder}; {@link #streamOptions} adds one.
     */
    public Acceptor acceptor() {
        return acceptor;
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

    List<RpcProgramListener> programListeners() {
        return table.listeners();
    }
}
