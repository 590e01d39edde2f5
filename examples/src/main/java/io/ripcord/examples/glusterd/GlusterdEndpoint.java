package io.ripcord.examples.glusterd;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.RpcService;
import io.ripcord.transport.Listener;
import java.io.IOException;
import java.net.BindException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A glusterd stand-in for the {@code gluster} CLI: the full CLI program on a Unix socket (what
 * {@code gluster --glusterd-sock=PATH} talks to) and the read-only one on TCP (what
 * {@code gluster --remote-host=H} talks to, on port 24007), over one {@link GlusterdState}.
 *
 * <p>As in glusterd, each listener has its own program table: two {@link RpcService}s, each with GF-DUMP,
 * so a DUMP on either lists what that listener serves.
 *
 * <p>Thread rules: {@link #start} and {@link #close} from any thread that is not a poller; the getters from
 * any thread. CLI operations run one at a time on the endpoint's operations thread.
 */
public final class GlusterdEndpoint implements AutoCloseable {

    /** The CLI's default socket ({@code DEFAULT_GLUSTERD_SOCKFILE}). */
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/glusterd.socket");
    /** glusterd's port ({@code GF_DEFAULT_BASE_PORT}); the CLI's {@code --remote-host} always uses it. */
    public static final int DEFAULT_PORT = 24007;

    private final EventPool pool;
    private final ExecutorService ops;
    private final GlusterdState state;
    private final List<Listener> listeners;

    private GlusterdEndpoint(EventPool pool, ExecutorService ops, GlusterdState state, List<Listener> listeners) {
        this.pool = pool;
        this.ops = ops;
        this.state = state;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Opens the state and listens.
     *
     * @param socket the Unix socket for the full CLI program, or {@code null} for none
     * @param tcp    the TCP address for the read-only program (port 0 for an ephemeral one), or {@code null}
     * @param stateFile where volumes persist
     * @throws IOException when the state cannot be read, an address cannot be bound, or another process
     *                     answers on {@code socket}
     */
    public static GlusterdEndpoint start(Path socket, SocketAddress tcp, Path stateFile) throws IOException {
        Objects.requireNonNull(stateFile, "stateFile");
        if (socket == null && tcp == null) {
            throw new IllegalArgumentException("give a Unix socket, a TCP address, or both");
        }
        GlusterdState state = GlusterdState.open(stateFile);
        ExecutorService ops = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "glusterd-ops");
            t.setDaemon(true);
            return t;
        });
        EventPool pool = EventPool.create(EventPoolOptions.builder()
                .pollers(1)   // glusterd's event-threads 1; the CLI opens one connection per command
                .threadNamePrefix("glusterd-poller")
                .build()).start();
        List<Listener> listeners = new ArrayList<>();
        try {
            if (socket != null) {
                RpcService unix = RpcService.create();
                unix.register(GlusterCliProgram.full(state, ops));
                try {
                    listeners.add(unix.listen(pool, UnixDomainSocketAddress.of(socket)));
                } catch (BindException e) { // the listener never takes a live server's socket file away
                    throw new IOException("something already listens on " + socket
                            + " (a running glusterd?); stop it or pass another --socket", e);
                }
            }
            if (tcp != null) {
                RpcService readOnly = RpcService.create();
                readOnly.register(GlusterCliProgram.readOnly(state, ops));
                listeners.add(readOnly.listen(pool, tcp));
            }
        } catch (IOException | RuntimeException e) {
            listeners.forEach(Listener::close);
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).join();
            ops.shutdownNow();
            throw e;
        }
        return new GlusterdEndpoint(pool, ops, state, listeners);
    }

    /** The addresses listened on (Unix first), with real ports. */
    public List<SocketAddress> addresses() {
        List<SocketAddress> out = new ArrayList<>();
        for (Listener l : listeners) {
            out.add(l.address());
        }
        return out;
    }

    public GlusterdState state() {
        return state;
    }

    /** Blocks until the endpoint has stopped (after {@link #close()} from another thread). */
    public void awaitTermination() throws InterruptedException {
        pool.dispatch();
    }

    /** Stops listening (removing the socket file), disconnects every CLI and stops the threads. */
    @Override
    public void close() {
        listeners.forEach(Listener::close);
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).orTimeout(10, TimeUnit.SECONDS).join();
        ops.shutdown();
        try {
            if (!ops.awaitTermination(10, TimeUnit.SECONDS)) {
                ops.shutdownNow();
            }
        } catch (InterruptedException e) {
            ops.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
