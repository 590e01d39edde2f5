package io.ripcord.rpc.rpcbind;

import io.ripcord.core.EventPool;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.client.RpcClientOptions;
import io.ripcord.rpc.client.RpcException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's programs registered with rpcbind, as libtirpc's {@code svc_reg} does: for each (program,
 * version), first UNSET whatever a previous run left, then SET it for each protocol at the server's address
 * (v4 RPCBPROC_SET with its universal address, {@code 0.0.0.0.p1.p2} for a server on every address, falling back
 * to v2 PMAPPROC_SET, which holds only the port).
 * {@link #unregister()} removes them when the server stops.
 *
 * <p>Each operation opens its own short connection to rpcbind (by default its local socket, the only place
 * rpcbind accepts SET and UNSET from; see {@link RpcbindClient}), so nothing stays connected in between.
 * Thread rules: from any thread; futures complete on a poller.
 */
public final class RpcbindRegistration {

    private static final Logger log = LoggerFactory.getLogger(RpcbindRegistration.class);
    /** What we send as the owner; rpcbind replaces it with what it knows of the caller. */
    static final String OWNER = "ripcord";

    /**
     * A program version to register.
     *
     * @param program the program number
     * @param version the program version
     */
    public record ProgramVersion(int program, int version) {
        /**
         * The number and version of {@code program}.
         *
         * @param program a program a server serves
         * @return its program number and version
         */
        public static ProgramVersion of(RpcProgram program) {
            return new ProgramVersion(program.program(), program.version());
        }

        @Override
        public String toString() {
            return Integer.toUnsignedString(program) + " v" + Integer.toUnsignedString(version);
        }
    }

    private final EventPool pool;
    private final SocketAddress rpcbind;
    private final List<ProgramVersion> programs;
    private final InetSocketAddress address;
    private final Set<Protocol> protocols;
    private final AtomicBoolean unregistered = new AtomicBoolean();

    private RpcbindRegistration(EventPool pool, SocketAddress rpcbind, List<ProgramVersion> programs,
                                InetSocketAddress address, Set<Protocol> protocols) {
        this.pool = pool;
        this.rpcbind = rpcbind;
        this.programs = programs;
        this.address = address;
        this.protocols = protocols;
    }

    /**
     * Registers {@code port} on any address through rpcbind's local socket ({@link RpcbindClient#LOCAL_SOCKET}).
     * From any thread.
     *
     * @param pool      the event pool that will own the short connections to rpcbind
     * @param programs  the program versions to register (duplicates count once); not empty
     * @param port      the port the server listens on, on every address
     * @param protocols the transports the server serves on; not empty
     * @return completes when every mapping is set, or exceptionally (with what was set so far removed again):
     *         an {@link io.ripcord.rpc.client.RpcException}, also when rpcbind refuses a mapping
     * @throws IllegalArgumentException if the port is not within 1..65535, or nothing is to be registered
     */
    public static CompletableFuture<RpcbindRegistration> register(EventPool pool, Collection<ProgramVersion> programs,
                                                                  int port, Set<Protocol> protocols) {
        return register(pool, RpcbindClient.LOCAL_SOCKET, programs, port, protocols);
    }

    /**
     * Registers the address a server listens on (its listener's {@code address()}) through rpcbind's local
     * socket: a server bound to 127.0.0.1 is registered as {@code 127.0.0.1.p1.p2}, not as the wildcard, so a
     * client that asks rpcbind (GETADDR) gets an address it can reach. From any thread.
     *
     * @param pool      the event pool that will own the short connections to rpcbind
     * @param programs  the program versions to register (duplicates count once); not empty
     * @param listening the server's address (a wildcard address is registered as {@code 0.0.0.0})
     * @param protocols the transports the server serves on; not empty
     * @return completes when every mapping is set, or exceptionally (with what was set so far removed again):
     *         an {@link io.ripcord.rpc.client.RpcException}, also when rpcbind refuses a mapping
     * @throws IllegalArgumentException if the port is not within 1..65535, or nothing is to be registered
     */
    public static CompletableFuture<RpcbindRegistration> register(EventPool pool, Collection<ProgramVersion> programs,
                                                                  InetSocketAddress listening,
                                                                  Set<Protocol> protocols) {
        return register(pool, RpcbindClient.LOCAL_SOCKET, programs, listening, protocols);
    }

    /**
     * Registers {@code programs} on {@code port} for {@code protocols}.
     *
     * @param pool      the event pool that will own the short connections to rpcbind
     * @param rpcbind   where rpcbind listens: its local socket, or TCP if it runs with {@code -L} and accepts us
     * @param programs  the program versions to register (duplicates count once); not empty
     * @param port      the port the server listens on, on every address
     * @param protocols the transports the server serves on; not empty
     * @return completes when every mapping is set, or exceptionally (with what was set so far removed again):
     *         an {@link io.ripcord.rpc.client.RpcException}, also when rpcbind refuses a mapping
     * @throws IllegalArgumentException if the port is not within 1..65535, or nothing is to be registered
     */
    public static CompletableFuture<RpcbindRegistration> register(EventPool pool, SocketAddress rpcbind,
                                                                  Collection<ProgramVersion> programs, int port,
                                                                  Set<Protocol> protocols) {
        if (port <= 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be within 1..65535, got " + port);
        }
        return register(pool, rpcbind, programs, new InetSocketAddress(port), protocols);
    }

    /**
     * Registers {@code programs} at {@code listening} for {@code protocols}.
     *
     * @param pool      the event pool that will own the short connections to rpcbind
     * @param rpcbind   where rpcbind listens: its local socket, or TCP if it runs with {@code -L} and accepts us
     * @param programs  the program versions to register (duplicates count once); not empty
     * @param listening the server's address (a wildcard address is registered as {@code 0.0.0.0})
     * @param protocols the transports the server serves on; not empty
     * @return completes when every mapping is set, or exceptionally (with what was set so far removed again):
     *         an {@link io.ripcord.rpc.client.RpcException}, also when rpcbind refuses a mapping
     * @throws IllegalArgumentException if {@code listening} is unresolved or has no port, or nothing is to be
     *                                  registered
     * @throws NullPointerException     if {@code pool}, {@code rpcbind} or {@code listening} is null
     */
    public static CompletableFuture<RpcbindRegistration> register(EventPool pool, SocketAddress rpcbind,
                                                                  Collection<ProgramVersion> programs,
                                                                  InetSocketAddress listening,
                                                                  Set<Protocol> protocols) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(rpcbind, "rpcbind");
        Objects.requireNonNull(listening, "listening");
        int port = listening.getPort();
        if (port <= 0 || port > 0xFFFF || listening.isUnresolved()) {
            throw new IllegalArgumentException("a resolved address with a port within 1..65535, got " + listening);
        }
        if (protocols.isEmpty() || programs.isEmpty()) {
            throw new IllegalArgumentException("nothing to register: programs " + programs + ", protocols "
                    + protocols);
        }
        RpcbindRegistration r = new RpcbindRegistration(pool, rpcbind, List.copyOf(new LinkedHashSet<>(programs)),
                listening, Set.copyOf(EnumSet.copyOf(protocols)));
        return r.session(c -> r.setAll(c)).handle((v, err) -> {
            if (err == null) {
                log.info("registered {} at {} ({}) with rpcbind", r.programs, listening, r.protocols);
                return CompletableFuture.completedFuture(r);
            }
            return r.unregister().handle((x, ignored) -> CompletableFuture.<RpcbindRegistration>failedFuture(err))
                    .thenCompose(f -> f);
        }).thenCompose(f -> f);
    }

    /**
     * Removes every mapping of the registered program versions (all protocols). Once; later calls do nothing.
     * From any thread.
     *
     * @return completes when rpcbind has answered every UNSET (already complete on later calls), or
     *         exceptionally with an {@link io.ripcord.rpc.client.RpcException} if rpcbind cannot be reached
     */
    public CompletableFuture<Void> unregister() {
        if (!unregistered.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        return session(c -> {
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (ProgramVersion pv : programs) {
                chain = chain.thenCompose(x -> c.unset(pv.program(), pv.version(), OWNER)).thenApply(x -> null);
            }
            return chain;
        }).thenRun(() -> log.info("unregistered {} from rpcbind", programs));
    }

    /**
     * The program versions registered.
     *
     * @return an unmodifiable list, in the order given, without duplicates
     */
    public List<ProgramVersion> programs() {
        return programs;
    }

    /**
     * The port registered.
     *
     * @return the port, 1 to 65535
     */
    public int port() {
        return address.getPort();
    }

    /**
     * The address registered.
     *
     * @return the server's address; a wildcard address when registered by port alone
     */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * The transports registered for every program version.
     *
     * @return an unmodifiable, non-empty set
     */
    public Set<Protocol> protocols() {
        return protocols;
    }

    private CompletableFuture<Void> setAll(RpcbindClient c) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (ProgramVersion pv : programs) {
            chain = chain.thenCompose(x -> c.unset(pv.program(), pv.version(), OWNER)).thenApply(x -> null);
            for (Protocol p : protocols) {
                chain = chain.thenCompose(x -> c.set(pv.program(), pv.version(), p, address, OWNER))
                        .thenCompose(ok -> ok ? CompletableFuture.<Void>completedFuture(null)
                                : CompletableFuture.<Void>failedFuture(new RpcException("rpcbind refused to map "
                                        + pv + " " + p.netid() + " to " + address)));
            }
        }
        return chain;
    }

    /** Connects, runs {@code work}, closes whatever the outcome. */
    private CompletableFuture<Void> session(Function<RpcbindClient, CompletableFuture<Void>> work) {
        return RpcbindClient.connect(pool, rpcbind, RpcClientOptions.defaults()).thenCompose(c -> {
            CompletableFuture<Void> done;
            try {
                done = work.apply(c);
            } catch (RuntimeException e) {
                done = CompletableFuture.failedFuture(e);
            }
            return done.whenComplete((v, e) -> c.close());
        });
    }

    @Override
    public String toString() {
        return "RpcbindRegistration[" + programs + " at " + address + " " + protocols + "]";
    }

    /**
     * The program versions of {@code programs}, for {@link #register}.
     *
     * @param programs the programs a server serves (its {@code RpcService}'s, say)
     * @return a new list, one entry per program, in the order given
     */
    public static List<ProgramVersion> versionsOf(Collection<RpcProgram> programs) {
        List<ProgramVersion> out = new ArrayList<>();
        for (RpcProgram p : programs) {
            out.add(ProgramVersion.of(p));
        }
        return out;
    }
}
