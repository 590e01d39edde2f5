package io.ripcord.examples.kv;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.examples.kv.xdr.KvV1;
import io.ripcord.examples.kv.xdr.KvV2;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.RpcServiceOptions;
import io.ripcord.rpc.SecurityPolicy;
import io.ripcord.rpc.rpcbind.Protocol;
import io.ripcord.rpc.rpcbind.RpcbindRegistration;
import io.ripcord.rpc.tls.RpcTlsServer;
import io.ripcord.transport.DatagramEndpoint;
import io.ripcord.transport.Listener;
import io.ripcord.transport.ListenerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The KV store ({@code kv.x}) served on TCP and UDP at one port, versions 1 and 2, plus GF-DUMP; optionally
 * registered with the local rpcbind. Embeddable: the {@code rpc-server} command and the demo both use it.
 */
public final class KvServer implements AutoCloseable {

    private final EventPool pool;
    private final RpcService service;
    private final KvProgram kv;
    private final Listener tcp;
    private final DatagramEndpoint udp;
    private final RpcbindRegistration registration;

    private KvServer(EventPool pool, RpcService service, KvProgram kv, Listener tcp, DatagramEndpoint udp,
                     RpcbindRegistration registration) {
        this.pool = pool;
        this.service = service;
        this.kv = kv;
        this.tcp = tcp;
        this.udp = udp;
        this.registration = registration;
    }

    /**
     * Starts serving on {@code host:port} (port 0: an ephemeral port, the same for TCP and UDP).
     *
     * @param rpcbind register every version with the local rpcbind (removed again on close)
     */
    public static KvServer start(String host, int port, int pollers, boolean rpcbind) throws Exception {
        return start(host, port, pollers, rpcbind, null, SecurityPolicy.ANY, ListenerOptions.defaults());
    }

    /**
     * {@link #start(String, int, int, boolean)} with RPC-with-TLS (RFC 9289) offered on TCP by {@code tls}
     * ({@code null}: not offered), KV's calls held to {@code kvSecurity} (GF-DUMP stays open to all), and the TCP
     * listener made with {@code listenerOptions} (e.g. {@link ListenerOptions.Builder#reusePort(boolean)}); the
     * service adds record marking to its transport options.
     */
    public static KvServer start(String host, int port, int pollers, boolean rpcbind, RpcTlsServer tls,
                                 SecurityPolicy kvSecurity, ListenerOptions listenerOptions) throws Exception {
        EventPool pool = EventPool.create(EventPoolOptions.builder().pollers(pollers).threadNamePrefix("kv").build())
                .start();
        try {
            KvProgram kv = new KvProgram();
            // A KV_PUT carries a value of up to 1 MiB plus its key and the call header.
            RpcServiceOptions.Builder options = RpcServiceOptions.builder().maxRecordSize(2 * 1024 * 1024)
                    .listenerOptions(listenerOptions);
            RpcService service = RpcService.create(tls == null ? options.build() : tls.register(options).build());
            service.register(kv.version1(kvSecurity));
            service.register(kv.version2(kvSecurity));
            Listener tcp = service.listen(pool, new InetSocketAddress(host, port));
            int bound = ((InetSocketAddress) tcp.address()).getPort();
            DatagramEndpoint udp = service.listenUdp(pool, new InetSocketAddress(host, bound));
            RpcbindRegistration reg = null;
            if (rpcbind) {
                reg = RpcbindRegistration.register(pool,
                        List.of(new RpcbindRegistration.ProgramVersion(KvV1.PROGRAM, KvV1.VERSION),
                                new RpcbindRegistration.ProgramVersion(KvV2.PROGRAM, KvV2.VERSION)),
                        (InetSocketAddress) tcp.address(), EnumSet.of(Protocol.TCP, Protocol.UDP))
                        .get(10, TimeUnit.SECONDS);
            }
            return new KvServer(pool, service, kv, tcp, udp, reg);
        } catch (Exception e) {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5));
            throw e;
        }
    }

    public InetSocketAddress tcpAddress() {
        return (InetSocketAddress) tcp.address();
    }

    public InetSocketAddress udpAddress() {
        return (InetSocketAddress) udp.address();
    }

    public RpcService service() {
        return service;
    }

    public KvProgram store() {
        return kv;
    }

    public EventPool pool() {
        return pool;
    }

    /**
     * Writes the server's live state: the event pool's ({@link EventPool#dumpState}: pollers, connections, timers),
     * then the RPC service's ({@link RpcService#dumpState}: programs with their counts, outstanding calls). Not from
     * a poller.
     *
     * @param out where to write
     * @throws IOException if {@code out} fails
     */
    public void dumpState(Appendable out) throws IOException {
        pool.dumpState(out);
        service.dumpState(out);
    }

    /** Blocks until the pool has stopped. */
    public void awaitTermination() throws InterruptedException {
        pool.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
    }

    /** Unregisters from rpcbind (if registered), stops listening and stops the pool. Idempotent. */
    @Override
    public void close() {
        if (registration != null) {
            try {
                registration.unregister().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(KvServer.class).warn("rpcbind unregister failed: {}", e.toString());
            }
        }
        tcp.close();
        udp.close();
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).join();
    }

}
