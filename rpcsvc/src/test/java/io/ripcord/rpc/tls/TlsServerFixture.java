package io.ripcord.rpc.tls;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.RpcProgramListener;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.RpcServiceOptions;
import io.ripcord.rpc.SecurityPolicy;
import io.ripcord.rpc.auth.AuthSysCredential;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.DisconnectCause;
import io.ripcord.transport.Listener;
import io.ripcord.transport.ListenerOptions;
import io.ripcord.transport.Transport;
import io.ripcord.transport.TransportListener;
import io.ripcord.transport.TransportOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service for the RPC-with-TLS tests on a loopback listener of its own, which records what happens to every
 * connection: each DISCONNECT's cause, the identities programs hear, and every actor run.
 *
 * <p>Program {@link #PROG} has three versions over one actor table, one per policy: 1 plaintext allowed, 2 TLS
 * required, 3 mutual TLS required. Procedure 1 (WHO) answers who the server thinks is calling: the TLS user (or
 * "-"), whether a client certificate was verified, and the AUTH_SYS uid (or -1).
 */
final class TlsServerFixture implements AutoCloseable {

    static final int PROG = 0x20001234;
    static final int PLAIN = 1;
    static final int TLS = 2;
    static final int MUTUAL = 3;
    static final int WHO = 1;

    final EventPool pool;
    final RpcService service;
    final Listener listener;
    final AtomicInteger actorRuns = new AtomicInteger();
    final List<DisconnectCause> disconnects = new CopyOnWriteArrayList<>();
    final Map<Transport, Object> identified = new ConcurrentHashMap<>();
    /** What the identity was when each actor ran: it must be known before the first call over TLS. */
    final List<Object> identityAtCall = new CopyOnWriteArrayList<>();

    /** @param tls the AUTH_TLS flavor, or {@code null} for a service that does not know it */
    TlsServerFixture(RpcTlsServer tls) throws Exception {
        pool = EventPool.create(EventPoolOptions.builder().pollers(2).threadNamePrefix("tls-srv").build()).start();
        RpcServiceOptions.Builder options = RpcServiceOptions.builder();
        service = RpcService.create(tls == null ? options.build() : tls.register(options).build());
        RpcProgramListener events = new RpcProgramListener() {
            @Override
            public void onIdentified(Transport transport, Object identity) {
                identified.put(transport, identity);
            }
        };
        register(PLAIN, RpcTlsPolicy.PLAIN_ALLOWED, events);
        register(TLS, RpcTlsPolicy.TLS_REQUIRED, null);
        register(MUTUAL, RpcTlsPolicy.MUTUAL_TLS_REQUIRED, null);
        listener = listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private void register(int version, SecurityPolicy policy, RpcProgramListener events) {
        service.register(RpcProgram.builder(PROG, version, "TLSTEST")
                .security(policy)
                .listener(events)
                .actor(RpcActor.of(0, "NULL", RpcActor.VOID, (call, a) -> {
                    actorRuns.incrementAndGet();
                    call.replyVoid();
                }))
                .actor(RpcActor.of(WHO, "WHO", RpcActor.VOID, (call, a) -> {
                    actorRuns.incrementAndGet();
                    identityAtCall.add(String.valueOf(call.connectionIdentity()));
                    call.reply(who(call), (e, w) -> e.writeString(w, 1024));
                }))
                .build());
    }

    /** "user=alice mutual=true uid=1000". */
    static String who(RpcCall call) {
        TlsIdentity id = TlsIdentity.of(call);
        int uid = call.principal() instanceof AuthSysCredential ? ((AuthSysCredential) call.principal()).uid() : -1;
        return "user=" + (id == null ? "-" : id.user().orElse("-")) + " mutual=" + (id != null && id.isMutual())
                + " uid=" + uid;
    }

    static String readWho(XdrDecoder d) throws io.ripcord.rpc.xdr.XdrException {
        return d.readString(1024);
    }

    /** Binds another listener of this service at {@code address}, recording its connections too. */
    Listener listen(SocketAddress address) throws Exception {
        ListenerOptions options = ListenerOptions.builder()
                .transportOptions(service.streamOptions(TransportOptions.defaults())).build();
        return Listener.bind(pool, address, options, t -> new Recording(service.acceptor().accept(t)));
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.address();
    }

    @Override
    public void close() throws Exception {
        listener.close();
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    /** The service's own listener for a connection, with each DISCONNECT's cause written down. */
    private final class Recording implements TransportListener {
        private final TransportListener inner;

        Recording(TransportListener inner) {
            this.inner = inner;
        }

        @Override
        public void onAccept(Transport t) {
            inner.onAccept(t);
        }

        @Override
        public void onMessage(Transport t, ByteBuffer message) throws Exception {
            inner.onMessage(t, message);
        }

        @Override
        public void onMessageSent(Transport t, Object context) {
            inner.onMessageSent(t, context);
        }

        @Override
        public void onDisconnect(Transport t, DisconnectCause cause, Throwable error) {
            disconnects.add(cause);
            inner.onDisconnect(t, cause, error);
        }

        @Override
        public void onCleanup(Transport t) {
            inner.onCleanup(t);
        }
    }
}
