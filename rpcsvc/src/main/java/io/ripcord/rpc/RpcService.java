package io.ripcord.rpc;

import io.ripcord.core.EventPool;
import io.ripcord.rpc.auth.AuthException;
import io.ripcord.rpc.auth.Authenticator;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.transport.Acceptor;
import io.ripcord.transport.DatagramEndpoint;
import io.ripcord.transport.DatagramHandler;
import io.ripcord.transport.DatagramOptions;
import io.ripcord.transport.DisconnectCause;
import io.ripcord.transport.Listener;
import io.ripcord.transport.ListenerOptions;
import io.ripcord.transport.Transport;
import io.ripcord.transport.TransportListener;
import io.ripcord.transport.TransportOptions;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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
 * <p>Thread rules: register, unregister, listen and the getters from any thread. Dispatch runs on the
 * connection's owner poller; actors run there or on their executor.
 */
public final class RpcService implements Acceptor {

    /** The only RPC protocol version (RFC 5531 section 9). */
    public static final int RPC_VERSION = 2;

    private static final Logger log = LoggerFactory.getLogger(RpcService.class);
    private static final ThreadLocal<XdrDecoder> DECODER =
            ThreadLocal.withInitial(() -> new XdrDecoder(ByteBuffer.allocate(0)));

    private final RpcServiceOptions options;
    private final Object lock = new Object();
    /** Program number to its versions; replaced whole on every change so dispatch reads it without locks. */
    private volatile Map<Integer, Versions> table = Map.of();
    private volatile List<RpcProgram> ordered = List.of();
    /** The programs' connection listeners, recomputed on every change (read per connection event). */
    private volatile List<RpcProgramListener> listeners = List.of();
    private volatile RpcReplyHandler replyHandler;

    private RpcService(RpcServiceOptions options) {
        this.options = options;
        register(GfDump.program(this));
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
            Map<Integer, Versions> t = new HashMap<>(table);
            Versions v = t.get(program.program());
            TreeMap<Integer, RpcProgram> byVersion = v == null ? new TreeMap<>(Integer::compareUnsigned)
                    : new TreeMap<>(v.byVersion);
            if (byVersion.containsKey(program.version())) {
                throw new IllegalArgumentException(program + " is registered already");
            }
            byVersion.put(program.version(), program);
            t.put(program.program(), new Versions(byVersion));
            List<RpcProgram> o = new ArrayList<>(ordered);
            o.add(program);
            ordered = Collections.unmodifiableList(o);
            listeners = listenersOf(o);
            table = Map.copyOf(t);
        }
        log.debug("registered {}", program);
    }

    /** Removes a program version; calls already dispatched still get their replies. */
    public boolean unregister(int program, int version) {
        synchronized (lock) {
            Versions v = table.get(program);
            if (v == null || !v.byVersion.containsKey(version)) {
                return false;
            }
            Map<Integer, Versions> t = new HashMap<>(table);
            TreeMap<Integer, RpcProgram> byVersion = new TreeMap<>(v.byVersion);
            RpcProgram removed = byVersion.remove(version);
            if (byVersion.isEmpty()) {
                t.remove(program);
            } else {
                t.put(program, new Versions(byVersion));
            }
            List<RpcProgram> o = new ArrayList<>(ordered);
            o.remove(removed);
            ordered = Collections.unmodifiableList(o);
            listeners = listenersOf(o);
            table = Map.copyOf(t);
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

    /** The registered programs in registration order (GF-DUMP first). */
    public List<RpcProgram> programs() {
        return ordered;
    }

    /** Serves this service on a stream socket (TCP, or a {@link java.net.UnixDomainSocketAddress}). */
    public Listener listen(EventPool pool, SocketAddress address) throws IOException {
        ListenerOptions lo = options.listenerOptions();
        ListenerOptions withRecords = ListenerOptions.builder()
                .backlog(lo.backlog()).maxConnections(lo.maxConnections()).acceptsPerWakeup(lo.acceptsPerWakeup())
                .transportOptions(withRecordTimeout(lo.transportOptions().toBuilder()
                        .decoder(() -> new RecordMarkingDecoder(options.maxRecordSize()))).build())
                .build();
        return Listener.bind(pool, address, withRecords, this);
    }

    private TransportOptions.Builder withRecordTimeout(TransportOptions.Builder b) {
        return options.recordTimeout().isZero() ? b : b.frameTimeout(options.recordTimeout());
    }

    /** Serves this service over UDP: one call per datagram, the reply to its sender. */
    public DatagramEndpoint listenUdp(EventPool pool, SocketAddress address) throws IOException {
        return DatagramEndpoint.bind(pool, address, DatagramOptions.defaults(), datagramHandler());
    }

    /** The handler that serves this service on a datagram endpoint the caller binds itself. */
    public DatagramHandler datagramHandler() {
        return new UdpHandler();
    }

    /**
     * ACCEPT: the listener for a new stream connection. Lets a user serve this service on a {@link Listener}
     * they bind themselves (its connections need a {@link RecordMarkingDecoder}).
     */
    @Override
    public TransportListener accept(Transport transport) {
        return new Connection(transport);
    }

    @Override
    public String toString() {
        return "RpcService" + ordered;
    }

    // --- dispatch -----------------------------------------------------------------------------------------

    /**
     * Checks and dispatches one message. Returns {@code false} if the connection must close (a record too
     * short to hold an xid).
     */
    boolean dispatch(ByteBuffer msg, Transport transport, SocketAddress remote, RpcCall.ReplySink sink,
                     Connection conn) {
        if (msg.remaining() < 4) {
            log.debug("{}: a {}-byte record cannot hold an xid; closing", remote, msg.remaining());
            return false;
        }
        int start = msg.position();
        XdrDecoder d = DECODER.get().reset(msg);
        int xid;
        int mtype;
        try {
            xid = d.readInt();
            if (!d.hasRemaining()) {
                log.debug("{}: record with only an xid dropped", remote);
                return true;
            }
            mtype = d.readInt();
        } catch (XdrException e) {
            return true; // cannot happen: lengths were checked
        }
        RpcReplyHandler replies = replyHandler;
        if (mtype == MsgType.REPLY && transport != null && replies != null) {
            replies.onReply(transport, xid, msg.position(start));
            return true;
        }
        if (mtype != MsgType.CALL) {
            log.debug("{}: message type {} (not a CALL) dropped, xid {}", remote, mtype, xid);
            return true;
        }
        int rpcvers;
        int prog = 0;
        int vers = 0;
        int proc = 0;
        int flavor = 0;
        ByteBuffer credBody;
        try {
            rpcvers = d.readInt();
            if (rpcvers == RPC_VERSION) {
                prog = d.readInt();
                vers = d.readInt();
                proc = d.readInt();
            }
        } catch (XdrException e) {
            RpcCall call = newCall(xid, 0, 0, 0, 0, null, transport, remote, sink, conn);
            call.replyAccepted(AcceptStat.GARBAGE_ARGS, 0, 0);
            return true;
        }
        if (rpcvers != RPC_VERSION) {
            newCall(xid, 0, 0, 0, 0, null, transport, remote, sink, conn)
                    .replyDenied(RejectStat.RPC_MISMATCH, 0);
            return true;
        }
        Object principal;
        try {
            flavor = d.readInt();
            credBody = d.readOpaqueAsBuffer(AuthFlavor.MAX_BODY);
        } catch (XdrException e) {
            newCall(xid, prog, vers, proc, flavor, null, transport, remote, sink, conn)
                    .replyDenied(RejectStat.AUTH_ERROR, AuthStat.AUTH_BADCRED);
            return true;
        }
        Authenticator auth = options.authenticator(flavor);
        if (auth == null) {
            log.debug("{}: credential flavor {} not accepted, xid {}", remote, flavor, xid);
            newCall(xid, prog, vers, proc, flavor, null, transport, remote, sink, conn)
                    .replyDenied(RejectStat.AUTH_ERROR, AuthStat.AUTH_BADCRED);
            return true;
        }
        try {
            principal = auth.authenticate(credBody);
        } catch (AuthException e) {
            log.debug("{}: credential refused: {}", remote, e.getMessage());
            newCall(xid, prog, vers, proc, flavor, null, transport, remote, sink, conn)
                    .replyDenied(RejectStat.AUTH_ERROR, e.authStat());
            return true;
        }
        try {
            d.readInt();                                  // verifier flavor
            d.readOpaqueAsBuffer(AuthFlavor.MAX_BODY);    // verifier body: unchecked for these flavors
        } catch (XdrException e) {
            newCall(xid, prog, vers, proc, flavor, principal, transport, remote, sink, conn)
                    .replyDenied(RejectStat.AUTH_ERROR, AuthStat.AUTH_BADVERF);
            return true;
        }
        RpcCall call = newCall(xid, prog, vers, proc, flavor, principal, transport, remote, sink, conn);
        Versions versions = table.get(prog);
        if (versions == null) {
            call.replyAccepted(AcceptStat.PROG_UNAVAIL, 0, 0);
            return true;
        }
        RpcProgram program = versions.byVersion.get(vers);
        if (program == null) {
            call.replyAccepted(AcceptStat.PROG_MISMATCH, versions.byVersion.firstKey(), versions.byVersion.lastKey());
            return true;
        }
        RpcActor<?> actor = program.actor(proc);
        if (actor == null) {
            call.replyAccepted(AcceptStat.PROC_UNAVAIL, 0, 0);
            return true;
        }
        Executor executor = actor.executor() != null ? actor.executor() : program.executor();
        if (executor == null) {
            invoke(actor, call, d);
        } else {
            // The record's buffer is reused once we return: an actor elsewhere gets its own copy to decode.
            ByteBuffer copy = ByteBuffer.allocate(msg.remaining());
            copy.put(msg).flip();
            XdrDecoder own = new XdrDecoder(copy);
            Object args;
            try {
                args = decodeArgs(actor, own);
            } catch (XdrException e) {
                log.debug("{}: garbage arguments for {}: {}", remote, call, e.getMessage());
                call.replyAccepted(AcceptStat.GARBAGE_ARGS, 0, 0);
                return true;
            }
            try {
                executor.execute(() -> run(actor, call, args));
            } catch (RejectedExecutionException e) {
                log.warn("{}: executor of {} refused {}", remote, program, call);
                call.replyAccepted(AcceptStat.SYSTEM_ERR, 0, 0);
            }
        }
        return true;
    }

    private RpcCall newCall(int xid, int prog, int vers, int proc, int flavor, Object principal, Transport t,
                            SocketAddress remote, RpcCall.ReplySink sink, Connection conn) {
        if (conn != null) {
            conn.callStarted(t);
        }
        return new RpcCall(xid, prog, vers, proc, flavor, principal, t, remote, sink);
    }

    private static void invoke(RpcActor<?> actor, RpcCall call, XdrDecoder d) {
        Object args;
        try {
            args = decodeArgs(actor, d);
        } catch (XdrException e) {
            log.debug("garbage arguments for {}: {}", call, e.getMessage());
            call.replyAccepted(AcceptStat.GARBAGE_ARGS, 0, 0);
            return;
        }
        run(actor, call, args);
    }

    private static Object decodeArgs(RpcActor<?> actor, XdrDecoder d) throws XdrException {
        Object args = d.read(actor.arguments());
        if (actor.arguments() != RpcActor.IGNORED && d.hasRemaining()) {
            throw new XdrException(d.remaining() + " bytes left after the arguments");
        }
        return args;
    }

    @SuppressWarnings("unchecked")
    private static void run(RpcActor<?> actor, RpcCall call, Object args) {
        try {
            ((RpcHandler<Object>) actor.handler()).handle(call, args);
        } catch (Throwable t) {
            if (call.replyAccepted(AcceptStat.SYSTEM_ERR, 0, 0)) {
                log.warn("{} ({}) threw; replied SYSTEM_ERR", actor.name(), call, t);
            } else {
                log.warn("{} ({}) threw after replying", actor.name(), call, t);
            }
        }
    }

    private List<RpcProgramListener> programListeners() {
        return listeners;
    }

    private static List<RpcProgramListener> listenersOf(List<RpcProgram> programs) {
        Set<RpcProgramListener> out = new LinkedHashSet<>();
        for (RpcProgram p : programs) {
            if (p.listener() != null) {
                out.add(p.listener());
            }
        }
        return List.copyOf(out);
    }

    /** A program's versions, sorted unsigned, for PROG_MISMATCH's low and high. */
    private static final class Versions {
        final TreeMap<Integer, RpcProgram> byVersion;

        Versions(TreeMap<Integer, RpcProgram> byVersion) {
            this.byVersion = byVersion;
        }
    }

    /** One stream connection's state: its outstanding calls and whether reading is paused for them. */
    final class Connection implements TransportListener, RpcCall.ReplySink {
        private final Transport transport;
        private int outstanding;
        private boolean throttled;

        Connection(Transport transport) {
            this.transport = transport;
        }

        void callStarted(Transport t) {
            if (++outstanding >= options.outstandingLimit() && !throttled) {
                throttled = true;
                t.pauseReading();
            }
        }

        @Override
        public void onAccept(Transport t) {
            for (RpcProgramListener l : programListeners()) {
                l.onAccept(t);
            }
        }

        @Override
        public void onMessage(Transport t, ByteBuffer message) {
            if (!dispatch(message, t, t.remoteAddress(), this, this)) {
                t.close();
            }
        }

        @Override
        public void onMessageSent(Transport t, Object context) {
            if (context instanceof RpcCall) {
                outstanding--;
                if (throttled && outstanding < options.outstandingLimit()) {
                    throttled = false;
                    t.resumeReading();
                }
            }
        }

        @Override
        public void onDisconnect(Transport t, DisconnectCause cause, Throwable error) {
            RpcReplyHandler replies = replyHandler;
            if (replies != null) {
                replies.onDisconnect(t, cause);
            }
            for (RpcProgramListener l : programListeners()) {
                l.onDisconnect(t);
            }
        }

        @Override
        public void onCleanup(Transport t) {
            for (RpcProgramListener l : programListeners()) {
                l.onTransportDestroy(t);
            }
        }

        @Override
        public boolean recordMarking() {
            return true;
        }

        @Override
        public void send(ByteBuffer reply, RpcCall call) {
            transport.send(reply, call);
        }
    }

    /** UDP: one call per datagram; no throttling (the socket buffer is the bound). */
    private final class UdpHandler implements DatagramHandler {
        @Override
        public void onDatagram(DatagramEndpoint endpoint, ByteBuffer datagram, SocketAddress sender) {
            RpcCall.ReplySink sink = new RpcCall.ReplySink() {
                @Override
                public boolean recordMarking() {
                    return false;
                }

                @Override
                public void send(ByteBuffer reply, RpcCall call) {
                    endpoint.send(reply, sender);
                }
            };
            dispatch(datagram, null, sender, sink, null);
        }
    }
}
