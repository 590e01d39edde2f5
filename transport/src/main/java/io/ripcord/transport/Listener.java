package io.ripcord.transport;

import io.ripcord.core.EventHandler;
import io.ripcord.core.EventPool;
import io.ripcord.core.Poller;
import io.ripcord.core.PoolShutdownException;
import io.ripcord.core.Slot;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening socket, TCP or Unix domain: GlusterFS's {@code socket_server_event_handler}.
 *
 * <p>On poll-in it accepts in a loop (at most {@link ListenerOptions#acceptsPerWakeup()} per wakeup),
 * configures each socket, makes its {@link Transport}, tells the {@link Acceptor} (ACCEPT) and only then
 * registers the connection for reading on the poller the pool's chooser picks, so no message can arrive
 * before ACCEPT. Beyond {@link ListenerOptions#maxConnections()} a new connection is accepted and closed at
 * once, with one log line, rather than left to stall in the backlog. With {@link ListenerOptions#reusePort()}
 * every poller has a socket of its own on the address and registers what it accepts on itself.
 *
 * <p>Thread rules: {@link #bind} and {@link #close()} from any thread; accepting runs on the listener's poller
 * (each socket's own, with {@code reusePort}). Closing the listener does not close the connections it accepted.
 */
public final class Listener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Listener.class);

    private final EventPool pool;
    private final ListenerOptions options;
    private final Acceptor acceptor;
    private final SocketAddress address;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    /** Shared by every connection (one object, not one per connection). */
    private final Runnable connectionEnded = connections::decrementAndGet;
    /** One per listening socket: one, or one per poller with {@code reusePort}. */
    private final List<Slot> slots = new ArrayList<>();

    /** @param pollers with {@code reusePort}, the poller of each socket; else {@code null} */
    private Listener(EventPool pool, List<ServerSocketChannel> servers, List<Poller> pollers, ListenerOptions options,
                     Acceptor acceptor) throws IOException {
        this.pool = pool;
        this.options = options;
        this.acceptor = acceptor;
        this.address = servers.get(0).getLocalAddress();
        if (pollers != null) {
            for (int i = 0; i < servers.size(); i++) {
                slots.add(pool.register(servers.get(i), new AcceptHandler(servers.get(i)), true, false,
                        pollers.get(i)));
            }
        } else {
            slots.add(pool.register(servers.get(0), new AcceptHandler(servers.get(0)), true, false));
        }
    }

    /**
     * Binds {@code address} (an {@link java.net.InetSocketAddress}, port 0 for an ephemeral one, or a
     * {@link UnixDomainSocketAddress}) and starts accepting. A socket file already at a Unix path is removed
     * first if nobody listens on it (left by a process that died); if a listener answers, or the path is not a
     * socket, it is left alone and the bind fails. Binding happens on the calling thread; a host name in
     * {@code address} is resolved there too.
     *
     * @param pool the pool whose pollers accept (the chooser's pick, or every poller with
     *     {@link ListenerOptions#reusePort()}) and own the accepted connections
     * @param address where to listen
     * @param options the backlog, limits and the options every accepted connection gets
     * @param acceptor picks the listener of each accepted connection, on the accepting poller
     * @return the listener, accepting once its poller has registered it
     * @throws IOException if the address cannot be bound: a {@link java.net.BindException} (its message names the
     *     address) if it is in use or a live listener owns the Unix socket path
     * @throws PoolShutdownException if the pool is shutting down
     * @throws IllegalArgumentException if the options carry client side TLS options, or ask for
     *                                  {@link ListenerOptions#reusePort()} on a Unix domain address
     */
    public static Listener bind(EventPool pool, SocketAddress address, ListenerOptions options, Acceptor acceptor)
            throws IOException {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(acceptor, "acceptor");
        TlsOptions tls = options.transportOptions().tls();
        if (tls != null && tls.isClient()) {
            throw new IllegalArgumentException("a Listener needs server TLS options (TlsOptions.server), got " + tls);
        }
        if (options.reusePort() && address instanceof UnixDomainSocketAddress) {
            throw new IllegalArgumentException("reusePort is for TCP; " + address + " is a Unix domain address");
        }
        List<ServerSocketChannel> servers = new ArrayList<>();
        List<Poller> pollers = options.reusePort() ? pool.pollers() : null;
        try {
            if (address instanceof UnixDomainSocketAddress) {
                removeStaleSocket((UnixDomainSocketAddress) address);
                servers.add(open(ServerSocketChannel.open(StandardProtocolFamily.UNIX), address, options));
            } else {
                int sockets = pollers == null ? 1 : pollers.size();
                SocketAddress at = address;
                for (int i = 0; i < sockets; i++) {
                    ServerSocketChannel ch = open(openFor(at), at, options);
                    servers.add(ch);
                    at = ch.getLocalAddress(); // the others share the port the first one got
                }
            }
            return new Listener(pool, servers, pollers, options, acceptor);
        } catch (IOException | RuntimeException e) {
            for (ServerSocketChannel ch : servers) {
                ch.close();
            }
            throw e;
        }
    }

    /**
     * A TCP listening socket for {@code address}: an IPv4 one for a specific IPv4 address, the JDK's default
     * (IPv6, accepting IPv4 too) otherwise. A connection accepted on an IPv6 socket bound to an IPv4 address is
     * an IPv4 one anyway, but the kernel does more work for it (an IPv6 socket around IPv4 traffic).
     */
    static ServerSocketChannel openFor(SocketAddress address) throws IOException {
        return SocketConfig.isSpecificIpv4(address) ? ServerSocketChannel.open(StandardProtocolFamily.INET)
                : ServerSocketChannel.open();
    }

    /** Binds {@code ch} to {@code address}; closes it if that fails. */
    private static ServerSocketChannel open(ServerSocketChannel ch, SocketAddress address, ListenerOptions options)
            throws IOException {
        try {
            if (options.reusePort()) {
                if (!ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new IOException("SO_REUSEPORT is not supported here");
                }
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            if (!(address instanceof UnixDomainSocketAddress)) {
                SocketConfig.applyToListening(ch, options.transportOptions());
            }
            ch.bind(address, options.backlog());
            return ch;
        } catch (IOException e) {
            ch.close();
            throw bindFailure("listen on", address, e);
        }
    }

    /**
     * The failure to bind {@code address}, saying which address: the JDK's own message ("Address already in use")
     * does not. A {@link BindException} stays one, so callers can tell a port in use from other failures.
     */
    static IOException bindFailure(String what, SocketAddress address, IOException e) {
        String message = "cannot " + what + " " + address + ": " + e.getMessage();
        IOException failure = e instanceof BindException ? new BindException(message) : new IOException(message);
        failure.initCause(e);
        return failure;
    }

    /**
     * Removes a socket file nobody listens on. GlusterFS unlinks the path unconditionally before binding, which
     * lets a second server silently take a live server's socket away from it; a connect probe tells the two
     * apart. The probe does not block: a listener with a full backlog still counts as live.
     */
    private static void removeStaleSocket(UnixDomainSocketAddress address) throws IOException {
        Path path = address.getPath();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!attributes.isOther()) {
            return; // a regular file, directory or link: not ours to remove; bind reports the clash
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.configureBlocking(false);
            probe.connect(address);
        } catch (ConnectException e) {
            Files.deleteIfExists(path); // refused: a stale file
            return;
        }
        throw new BindException("cannot listen on " + address + ": a live listener owns it");
    }

    /**
     * Where the listener listens. From any thread.
     *
     * @return the address bound, with the real port when bound to port 0
     */
    public SocketAddress address() {
        return address;
    }

    /**
     * How many of its connections are open now, the count {@link ListenerOptions#maxConnections()} limits. From
     * any thread.
     *
     * @return connections accepted and not yet disconnected
     */
    public int connectionCount() {
        return connections.get();
    }

    /**
     * How many connections it has taken. From any thread.
     *
     * @return connections accepted and handed to the acceptor's listener since bind; refused ones, and ones the
     *     acceptor rejected, are not counted
     */
    public long acceptedCount() {
        return accepted.get();
    }

    /**
     * How many connections it turned away for being full. From any thread.
     *
     * @return connections closed at once because {@link ListenerOptions#maxConnections()} was reached
     */
    public long refusedCount() {
        return refused.get();
    }

    /** Stops listening (the socket file of a Unix listener is removed); accepted connections stay open. */
    @Override
    public void close() {
        for (Slot s : slots) {
            s.close();
        }
        if (address instanceof UnixDomainSocketAddress) {
            try {
                Files.deleteIfExists(((UnixDomainSocketAddress) address).getPath());
            } catch (IOException e) {
                log.debug("could not remove {}", address, e);
            }
        }
    }

    /** The {@code i}th listening socket (one, or one per poller with {@code reusePort}); for tests. */
    ServerSocketChannel socket(int i) {
        return (ServerSocketChannel) slots.get(i).channel();
    }

    @Override
    public String toString() {
        return "Listener[" + address + "]";
    }

    private final class AcceptHandler implements EventHandler {
        private final ServerSocketChannel server;
        /** What to set on an accepted socket: learned from the first one (see SocketConfig). */
        private SocketConfig config;
        private boolean loggedFull;

        AcceptHandler(ServerSocketChannel server) {
            this.server = server;
        }

        @Override
        public String describe() {
            return Listener.this + " accepted " + acceptedCount() + ", refused " + refusedCount() + ", open "
                    + connectionCount();
        }

        @Override
        public void handle(Slot s, boolean pollIn, boolean pollOut, boolean pollErr) throws IOException {
            if (pollErr) {
                if (s.failure() instanceof PoolShutdownException) {
                    log.debug("{} stopped with its pool", Listener.this);
                } else if (s.failure() != null) {
                    log.warn("{} stopped: {}", Listener.this, String.valueOf(s.failure()));
                } else {
                    log.debug("{} closed", Listener.this);
                }
                return;
            }
            for (int i = 0; i < options.acceptsPerWakeup(); i++) {
                SocketChannel ch = server.accept();
                if (ch == null) {
                    return;
                }
                accept(ch, s);
            }
        }

        private void accept(SocketChannel ch, Slot listening) {
            if (connections.get() >= options.maxConnections()) {
                refused.incrementAndGet();
                if (!loggedFull) {
                    loggedFull = true;
                    log.warn("{}: {} connections open, the maximum; closing new ones until some end",
                            Listener.this, options.maxConnections());
                }
                closeQuietly(ch);
                return;
            }
            loggedFull = false;
            SocketTransport t;
            try {
                if (config == null) {
                    config = SocketConfig.forAccepted(ch, options.transportOptions());
                }
                config.applyTo(ch);
                t = new SocketTransport(ch, options.transportOptions(), null, false);
            } catch (IOException | RuntimeException e) {
                log.debug("{}: could not configure an accepted socket", Listener.this, e);
                closeQuietly(ch);
                return;
            }
            TransportListener l;
            try {
                l = acceptor.accept(t);
                Objects.requireNonNull(l, "the acceptor returned no listener");
                t.listener(l);
                ConnectionEvent.record("ACCEPT", t, null, null);
                l.onAccept(t);
            } catch (Exception e) {
                log.warn("{}: the acceptor refused {}: {}", Listener.this, t, e.toString());
                closeQuietly(ch);
                return;
            }
            connections.incrementAndGet();
            accepted.incrementAndGet();
            t.onDisconnected(connectionEnded);
            try {
                // With a socket per poller the connection stays on the poller that accepted it: no hand-over.
                t.register(pool, options.reusePort() ? listening.poller() : pool.next());
            } catch (Exception e) {
                connections.decrementAndGet();
                log.warn("{}: could not register {}: {}", Listener.this, t, e.toString());
                closeQuietly(ch);
            }
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            log.debug("closing {} failed", ch, e);
        }
    }
}
