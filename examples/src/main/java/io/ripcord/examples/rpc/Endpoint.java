package io.ripcord.examples.rpc;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.client.ConnectionSetup;
import io.ripcord.rpc.client.RpcCaller;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcClientOptions;
import io.ripcord.rpc.client.RpcConnectException;
import io.ripcord.rpc.client.RpcUdpClient;
import io.ripcord.transport.TransportOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The connection an {@code rpc} command talks through: a one-poller {@link EventPool} and one {@link RpcCaller},
 * an {@link RpcClient} (TCP, or a Unix domain socket) or an {@link RpcUdpClient}, both closed by {@link #close()}. Not thread-safe: one command, one thread.
 */
final class Endpoint implements AutoCloseable {

    private final EventPool pool;
    private final RpcCaller client;

    private Endpoint(EventPool pool, RpcCaller client) {
        this.pool = pool;
        this.client = client;
    }

    /**
     * Parses {@code HOST:PORT}, {@code [IPv6]:PORT}, or a Unix socket path ({@code /path} or {@code unix:/path}).
     * Resolves the host here, on the command's thread, never on a poller.
     *
     * @param target      what the user typed
     * @param defaultPort the port when {@code target} names none, or -1 if a port is required
     * @throws IllegalArgumentException with a message for the user
     */
    static SocketAddress parse(String target, int defaultPort) {
        if (target.startsWith("unix:")) {
            return UnixDomainSocketAddress.of(target.substring("unix:".length()));
        }
        if (target.startsWith("/")) {
            return UnixDomainSocketAddress.of(target);
        }
        String host = target;
        String portText = null;
        if (target.startsWith("[")) {
            int close = target.indexOf(']');
            String rest = close < 0 ? "" : target.substring(close + 1);
            if (close < 0 || !rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("'" + target + "' is not [IPv6]:PORT");
            }
            host = target.substring(1, close);
            portText = rest.isEmpty() ? null : rest.substring(1);
        } else if (target.indexOf(':') >= 0 && target.indexOf(':') == target.lastIndexOf(':')) {
            host = target.substring(0, target.indexOf(':'));
            portText = target.substring(target.indexOf(':') + 1);
        } // else a host name, IPv4 address or bare IPv6 address, without a port
        int port = defaultPort;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in '" + target + "'");
            }
        }
        if (port < 0) {
            throw new IllegalArgumentException("'" + target + "' names no port: use HOST:PORT");
        }
        if (port == 0 || port > 65535 || host.isEmpty()) {
            throw new IllegalArgumentException("'" + target + "' is not HOST:PORT with a port in 1..65535");
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unknown host '" + host + "'");
        }
        return address;
    }

    /**
     * Connects, waiting at most {@code timeout}; calls made through {@link #client()} wait that long too.
     *
     * @throws IOException naming the address, when the connection cannot be made
     */
    static Endpoint connect(SocketAddress address, Duration timeout) throws IOException, InterruptedException {
        return connect(address, timeout, null);
    }

    /**
     * {@link #connect(SocketAddress, Duration)}, with each connection prepared by {@code setup} (RPC-with-TLS's
     * probe and handshake) before the first call; a setup that fails fails the connect.
     */
    static Endpoint connect(SocketAddress address, Duration timeout, ConnectionSetup setup)
            throws IOException, InterruptedException {
        EventPool pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("rpc").build())
                .start();
        RpcClientOptions options = RpcClientOptions.builder()
                .transportOptions(TransportOptions.builder().tcpNoDelay(true).connectTimeout(timeout).build())
                .callTimeout(timeout)
                .connectionSetup(setup)
                .build();
        try {
            // The connector enforces the timeout; the extra second only guards against a lost completion.
            RpcClient client = RpcClient.connect(pool, address, options)
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return new Endpoint(pool, client);
        } catch (ExecutionException | TimeoutException e) {
            stop(pool);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof RpcConnectException && cause.getCause() != null) {
                cause = cause.getCause(); // its message repeats the address this one gives
            }
            String why = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
            throw new IOException("cannot connect to " + display(address) + ": " + why, cause);
        } catch (InterruptedException | RuntimeException e) {
            stop(pool);
            throw e;
        }
    }

    /**
     * Opens a UDP client for {@code address}; calls made through {@link #client()} wait at most {@code timeout},
     * resending meanwhile.
     *
     * @throws IOException if the local socket cannot be opened, or {@code address} is a Unix socket path
     */
    static Endpoint openUdp(SocketAddress address, Duration timeout) throws IOException {
        if (!(address instanceof InetSocketAddress)) {
            throw new IOException("--udp needs HOST:PORT, not the Unix socket " + address);
        }
        EventPool pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("rpc").build())
                .start();
        try {
            return new Endpoint(pool, RpcUdpClient.open(pool, address, RpcClientOptions.builder()
                    .callTimeout(timeout).build()));
        } catch (IOException | RuntimeException e) {
            stop(pool);
            throw e;
        }
    }

    RpcCaller client() {
        return client;
    }

    /** {@code 127.0.0.1:111} rather than {@code /127.0.0.1:111}; a Unix socket as its path. */
    static String display(SocketAddress address) {
        if (address instanceof InetSocketAddress a) {
            String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
        }
        return String.valueOf(address);
    }

    @Override
    public void close() {
        client.close();
        stop(pool);
    }

    private static void stop(EventPool pool) {
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).join();
    }
}
