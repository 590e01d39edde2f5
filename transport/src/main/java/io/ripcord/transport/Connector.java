package io.ripcord.transport;

import io.ripcord.core.EventPool;
import io.ripcord.core.Poller;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client connections: a non-blocking connect with a timeout, retried per the options'
 * {@link ReconnectPolicy} (exponential backoff with jitter) until it succeeds or the policy gives up.
 *
 * <p>With {@link TransportOptions#tls()} set (client options), the connection is the TLS client side; CONNECT
 * and the returned future then wait for the TLS handshake, so a completed future means a verified peer.
 *
 * <p>Thread rules: callable from any thread. Pass a resolved address when calling from a poller: resolving a
 * name blocks.
 */
public final class Connector {

    private static final Logger log = LoggerFactory.getLogger(Connector.class);

    private Connector() {
    }

    /**
     * Connects to {@code address} (TCP, or a {@link UnixDomainSocketAddress}). Returns at once. An unresolved
     * address is resolved as each attempt starts: the first on the calling thread, retries on a poller (which
     * then blocks while it resolves), so pass a resolved address when retries are on.
     *
     * @param pool the pool whose poller (its chooser's pick) will own the connection
     * @param address where to connect
     * @param options the socket options, timeouts (the connect timeout bounds each attempt) and reconnect policy
     * @param listener hears the connection's events once it is connected; a failed attempt tells it nothing
     * @return completes with the connected transport (after {@link TransportListener#onConnect}; with TLS,
     *         after the handshake), or exceptionally with the last attempt's error
     *         ({@link java.net.ConnectException} on timeout, a {@link javax.net.ssl.SSLException} when the
     *         handshake fails)
     * @throws IllegalArgumentException if the options carry server side TLS options
     */
    public static CompletableFuture<Transport> connect(EventPool pool, SocketAddress address,
                                                       TransportOptions options, TransportListener listener) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        if (options.tls() != null && !options.tls().isClient()) {
            throw new IllegalArgumentException("a Connector needs client TLS options (TlsOptions.client), got "
                    + options.tls());
        }
        CompletableFuture<Transport> result = new CompletableFuture<>();
        attempt(pool, address, options, listener, result, 1);
        return result;
    }

    private static void attempt(EventPool pool, SocketAddress address, TransportOptions options,
                                TransportListener listener, CompletableFuture<Transport> result, int attempt) {
        CompletableFuture<Transport> one = new CompletableFuture<>();
        try {
            connectOnce(pool, pool.next(), address, options, listener, one);
        } catch (IOException | RuntimeException e) {
            one.completeExceptionally(e);
        }
        one.whenComplete((t, err) -> {
            if (err == null) {
                result.complete(t);
                return;
            }
            ReconnectPolicy policy = options.reconnectPolicy();
            if (policy != null && policy.allows(attempt) && !pool.isShutdown()) {
                long delay = policy.delayNanos(attempt);
                log.debug("connect to {} failed ({}); retry {} in {} ms", address, err.toString(), attempt,
                        TimeUnit.NANOSECONDS.toMillis(delay));
                try {
                    pool.schedule(() -> attempt(pool, address, options, listener, result, attempt + 1),
                            delay, TimeUnit.NANOSECONDS);
                } catch (RuntimeException e) {
                    result.completeExceptionally(err);
                }
            } else {
                result.completeExceptionally(err);
            }
        });
    }

    static void connectOnce(EventPool pool, Poller poller, SocketAddress address, TransportOptions options,
                            TransportListener listener, CompletableFuture<Transport> future) throws IOException {
        SocketAddress target = address;
        if (target instanceof InetSocketAddress && ((InetSocketAddress) target).isUnresolved()) {
            InetSocketAddress u = (InetSocketAddress) target;
            target = new InetSocketAddress(u.getHostString(), u.getPort());
        }
        SocketChannel ch = address instanceof UnixDomainSocketAddress ? SocketChannel.open(StandardProtocolFamily.UNIX)
                : SocketConfig.isSpecificIpv4(target) ? SocketChannel.open(StandardProtocolFamily.INET)
                : SocketChannel.open();
        try {
            SocketConfig.apply(ch, options);
            ch.configureBlocking(false);
            boolean done = ch.connect(target);
            SocketTransport t = new SocketTransport(ch, options, new Dialing(future, address), !done);
            t.listener(listener);
            t.register(pool, poller);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }
}
