package io.ripcord.rpc.rpcbind;

import io.ripcord.core.EventPool;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.client.ProgramMismatchException;
import io.ripcord.rpc.client.ProgramUnavailableException;
import io.ripcord.rpc.client.ProcedureUnavailableException;
import io.ripcord.rpc.client.RpcCaller;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcClientOptions;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.rpc.xdr.XdrReader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to rpcbind (program 100000, RFC 1833) over an {@link RpcClient}, or for look-ups over UDP an
 * {@link io.ripcord.rpc.client.RpcUdpClient} (any {@link RpcCaller}): look-ups with GETPORT (v2) and GETADDR
 * (v4), the v2 and v4 DUMP, and SET/UNSET through v4 with a fallback to v2 for a portmapper that only speaks
 * v2.
 *
 * <p>Where to connect: look-ups work anywhere rpcbind listens ({@link #DEFAULT_ADDRESS}, 127.0.0.1:111, by
 * default). SET and UNSET are taken only from local senders, and rpcbind records who set a mapping from the
 * connection, whatever owner the call names: {@code "superuser"} or the uid over its local socket
 * ({@link #LOCAL_SOCKET}, found with {@code SO_PEERCRED}), {@code "unknown"} over TCP. Only that owner or the
 * superuser may UNSET it. Servers should therefore register and unregister over the local socket, as libtirpc's
 * {@code rpcb_set} does; {@link RpcbindRegistration} does.
 *
 * <p>Thread rules: as {@link RpcClient}: every method from any thread; futures complete on a poller.
 */
public final class RpcbindClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RpcbindClient.class);

    /** rpcbind over TCP on the loopback address: 127.0.0.1:111. */
    public static final InetSocketAddress DEFAULT_ADDRESS = new InetSocketAddress("127.0.0.1", Rpcbind.PORT);
    /** rpcbind's local socket ({@code /run/rpcbind.sock}, also reachable as {@code /var/run/rpcbind.sock}). */
    public static final UnixDomainSocketAddress LOCAL_SOCKET = UnixDomainSocketAddress.of("/run/rpcbind.sock");

    private final RpcCaller client;
    private final boolean owned;

    private RpcbindClient(RpcCaller client, boolean owned) {
        this.client = client;
        this.owned = owned;
    }

    /**
     * Connects to rpcbind at {@link #DEFAULT_ADDRESS} with the default client options. From any thread.
     *
     * @param pool the event pool that will own the connection
     * @return completes with a client that closes its connection on {@link #close()}, or exceptionally with an
     *         {@link io.ripcord.rpc.client.RpcConnectException} when rpcbind does not listen there
     */
    public static CompletableFuture<RpcbindClient> connect(EventPool pool) {
        return connect(pool, DEFAULT_ADDRESS, RpcClientOptions.defaults());
    }

    /**
     * Connects to rpcbind at {@code address}. From any thread.
     *
     * @param pool    the event pool that will own the connection
     * @param address a TCP address, or {@link #LOCAL_SOCKET} (needed for SET and UNSET that rpcbind will honour)
     * @param options how to connect and call
     * @return completes with a client that closes its connection on {@link #close()}, or exceptionally with an
     *         {@link io.ripcord.rpc.client.RpcConnectException} naming the address
     */
    public static CompletableFuture<RpcbindClient> connect(EventPool pool, SocketAddress address,
                                                           RpcClientOptions options) {
        return RpcClient.connect(pool, address, options).thenApply(c -> new RpcbindClient(c, true));
    }

    /**
     * Uses a client made elsewhere (TCP, its local socket, or UDP for look-ups); {@link #close()} leaves it open.
     *
     * @param client the caller connected to rpcbind; not {@code null}
     * @return an rpcbind client over it
     * @throws NullPointerException if {@code client} is null
     */
    public static RpcbindClient over(RpcCaller client) {
        return new RpcbindClient(Objects.requireNonNull(client, "client"), false);
    }

    /**
     * The client underneath, to make other calls on the same connection.
     *
     * @return the caller this client calls rpcbind with
     */
    public RpcCaller client() {
        return client;
    }

    /**
     * PMAPPROC_GETPORT (v2): the port of (program, version, protocol).
     *
     * @param program  the program number
     * @param version  the program version
     * @param protocol the transport of the mapping
     * @return completes with the port, or 0 if no such mapping is registered; exceptionally with an
     *         {@link io.ripcord.rpc.client.RpcException} if the call fails
     */
    public CompletableFuture<Integer> getPort(int program, int version, Protocol protocol) {
        PortMapping query = new PortMapping(program, version, protocol.ipProtocol(), 0);
        return client.call(Rpcbind.PROGRAM, Rpcbind.VERSION_2, Rpcbind.PMAPPROC_GETPORT, (e, m) -> m.write(e), query,
                XdrDecoder::readInt);
    }

    /**
     * RPCBPROC_GETADDR (v4): the universal address of (program, version, netid).
     *
     * @param program  the program number
     * @param version  the program version
     * @param netid    the netid, as in {@code /etc/netconfig}: {@code "tcp"}, {@code "udp"}, {@code "tcp6"},
     *                 {@code "local"}...
     * @return completes with the universal address ({@code h1.h2.h3.h4.p1.p2}, see {@link UniversalAddress}), or
     *         {@code ""} if no such mapping is registered; exceptionally with an
     *         {@link io.ripcord.rpc.client.RpcException} if the call fails (a v2-only portmapper answers
     *         PROG_MISMATCH)
     */
    public CompletableFuture<String> getAddr(int program, int version, String netid) {
        RpcbMapping query = new RpcbMapping(program, version, netid, "", "");
        return client.call(Rpcbind.PROGRAM, Rpcbind.VERSION_4, Rpcbind.RPCBPROC_GETADDR, (e, m) -> m.write(e), query,
                d -> d.readString(Rpcbind.MAX_STRING));
    }

    /**
     * PMAPPROC_DUMP (v2): every mapping, as {@code rpcinfo -p} lists them.
     *
     * @return completes with an unmodifiable list in rpcbind's order (empty if none), or exceptionally with an
     *         {@link io.ripcord.rpc.client.RpcException}
     */
    public CompletableFuture<List<PortMapping>> dump() {
        return client.call(Rpcbind.PROGRAM, Rpcbind.VERSION_2, Rpcbind.PMAPPROC_DUMP,
                d -> readList(d, PortMapping::read));
    }

    /**
     * RPCBPROC_DUMP (v4): every mapping with its netid, universal address and owner.
     *
     * @return completes with an unmodifiable list in rpcbind's order (empty if none), or exceptionally with an
     *         {@link io.ripcord.rpc.client.RpcException} (a v2-only portmapper answers PROG_MISMATCH)
     */
    public CompletableFuture<List<RpcbMapping>> dumpV4() {
        return client.call(Rpcbind.PROGRAM, Rpcbind.VERSION_4, Rpcbind.RPCBPROC_DUMP,
                d -> readList(d, RpcbMapping::read));
    }

    /**
     * Maps (program, version, protocol) to {@code port} on any address: RPCBPROC_SET (v4) with the universal
     * address {@code 0.0.0.0.p1.p2}, or PMAPPROC_SET (v2) if rpcbind does not speak v4.
     *
     * @param program  the program number
     * @param version  the program version
     * @param protocol the transport the server listens on
     * @param port     the port the server listens on, 1 to 65535
     * @param owner    the owner to send (rpcbind replaces it with what it knows of the caller)
     * @return completes with rpcbind's answer: {@code false} if the mapping exists already (UNSET it first)
     */
    public CompletableFuture<Boolean> set(int program, int version, Protocol protocol, int port, String owner) {
        return set(program, version, protocol, new InetSocketAddress(port), owner);
    }

    /**
     * Maps (program, version, protocol) to {@code address}: RPCBPROC_SET (v4) with its universal address (the
     * wildcard {@code 0.0.0.0.p1.p2} when it is a wildcard, as libtirpc registers; else the address a client must
     * use), or PMAPPROC_SET (v2), which holds only the port, if rpcbind does not speak v4.
     *
     * @param program  the program number
     * @param version  the program version
     * @param protocol the transport the server listens on
     * @param address the address the server listens on (IPv4; an IPv6 one is registered as {@code tcp6}/{@code udp6})
     * @param owner   the owner to send (rpcbind replaces it with what it knows of the caller)
     * @return completes with rpcbind's answer: {@code false} if the mapping exists already (UNSET it first)
     */
    public CompletableFuture<Boolean> set(int program, int version, Protocol protocol, InetSocketAddress address,
                                          String owner) {
        int port = address.getPort();
        boolean any = address.getAddress() == null || address.getAddress().isAnyLocalAddress();
        String uaddr = any ? UniversalAddress.anyIpv4(port) : UniversalAddress.format(address);
        String netid = address.getAddress() instanceof java.net.Inet6Address && !any ? protocol.netid() + "6"
                : protocol.netid();
        RpcbMapping v4 = new RpcbMapping(program, version, netid, uaddr, owner);
        PortMapping v2 = new PortMapping(program, version, protocol.ipProtocol(), port);
        return withFallback("SET",
                () -> client.call(Rpcbind.PROGRAM, Rpcbind.VERSION_4, Rpcbind.RPCBPROC_SET, (e, m) -> m.write(e), v4,
                        XdrDecoder::readBoolean),
                () -> client.call(Rpcbind.PROGRAM, Rpcbind.VERSION_2, Rpcbind.PMAPPROC_SET, (e, m) -> m.write(e), v2,
                        XdrDecoder::readBoolean));
    }

    /**
     * Removes every mapping of (program, version), all protocols: RPCBPROC_UNSET (v4) with an empty netid, or
     * PMAPPROC_UNSET (v2) if rpcbind does not speak v4.
     *
     * @param program the program number
     * @param version the program version
     * @param owner   the owner to send (rpcbind removes only mappings of the caller it sees, unless it is the
     *                superuser)
     * @return completes with whether anything was removed; exceptionally with an
     *         {@link io.ripcord.rpc.client.RpcException} if the call fails
     */
    public CompletableFuture<Boolean> unset(int program, int version, String owner) {
        RpcbMapping v4 = new RpcbMapping(program, version, "", "", owner);
        PortMapping v2 = new PortMapping(program, version, 0, 0);
        return withFallback("UNSET",
                () -> client.call(Rpcbind.PROGRAM, Rpcbind.VERSION_4, Rpcbind.RPCBPROC_UNSET, (e, m) -> m.write(e), v4,
                        XdrDecoder::readBoolean),
                () -> client.call(Rpcbind.PROGRAM, Rpcbind.VERSION_2, Rpcbind.PMAPPROC_UNSET, (e, m) -> m.write(e), v2,
                        XdrDecoder::readBoolean));
    }

    /**
     * Calls NULL of version 2, to see that rpcbind answers.
     *
     * @return completes with {@code null} when rpcbind answers, or exceptionally with an
     *         {@link io.ripcord.rpc.client.RpcException} (a timeout when nothing answers over UDP)
     */
    public CompletableFuture<Void> ping() {
        return client.call(Rpcbind.PROGRAM, Rpcbind.VERSION_2, Rpcbind.PMAPPROC_NULL, RpcActor.VOID);
    }

    /** Closes the connection if this object made it. */
    @Override
    public void close() {
        if (owned) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "RpcbindClient[" + client.address() + "]";
    }

    private static CompletableFuture<Boolean> withFallback(String what, Supplier<CompletableFuture<Boolean>> v4,
                                                           Supplier<CompletableFuture<Boolean>> v2) {
        return v4.get().handle((ok, err) -> {
            Throwable e = err instanceof CompletionException ? err.getCause() : err;
            if (e == null) {
                return CompletableFuture.completedFuture(ok);
            }
            if (e instanceof ProgramMismatchException || e instanceof ProgramUnavailableException
                    || e instanceof ProcedureUnavailableException) {
                log.debug("rpcbind v4 {} failed ({}); falling back to v2", what, e.getMessage());
                return v2.get();
            }
            return CompletableFuture.<Boolean>failedFuture(e);
        }).thenCompose(f -> f);
    }

    /** An XDR optional-data list ({@code *next} pointers, RFC 4506 section 4.19), as DUMP returns. */
    private static <T> List<T> readList(XdrDecoder d, XdrReader<? extends T> item) throws XdrException {
        List<T> out = new ArrayList<>();
        while (d.readBoolean()) {
            out.add(item.read(d));
        }
        return Collections.unmodifiableList(out);
    }
}
