package io.ripcord.transport;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link TransportOptions} to a socket (GlusterFS's {@code socket_init} options), one {@code setsockopt}
 * per option.
 *
 * <p>An accepted socket starts with its listening socket's options. The JDK lets a {@code ServerSocketChannel}
 * set the keepalive idle time, interval and count, so {@link #applyToListening} puts those there, once; it does
 * not let it set {@code TCP_NODELAY} or {@code SO_KEEPALIVE}. For the sockets a listener accepts,
 * {@link #forAccepted} reads which options a fresh one has already (once per listener) and then sets only the
 * others: with the default options, {@code TCP_NODELAY} and {@code SO_KEEPALIVE}, two system calls per connection
 * instead of four, which the connect-call-close profile in {@code benchmarks/README.md} counts. An option left
 * at the system's default (a keepalive count of 9, say) is not set anywhere, so it follows the system should
 * that change later.
 *
 * <p>{@link #isSpecificIpv4} picks the socket family: an IPv4 socket for a specific IPv4 address, rather than
 * the JDK's IPv6 socket carrying IPv4-mapped traffic, which costs the kernel more per packet.
 */
final class SocketConfig {

    private static final Logger log = LoggerFactory.getLogger(SocketConfig.class);

    private final boolean noDelay;
    private final boolean keepAlive;
    private final boolean keepIdle;
    private final boolean keepInterval;
    private final boolean keepCount;
    private final TransportOptions options;

    private SocketConfig(TransportOptions options, boolean noDelay, boolean keepAlive, boolean keepIdle,
                         boolean keepInterval, boolean keepCount) {
        this.options = options;
        this.noDelay = noDelay;
        this.keepAlive = keepAlive;
        this.keepIdle = keepIdle;
        this.keepInterval = keepInterval;
        this.keepCount = keepCount;
    }

    /** Whether {@code address} is a resolved IPv4 address other than the wildcard: one for an IPv4 socket. */
    static boolean isSpecificIpv4(SocketAddress address) {
        if (!(address instanceof InetSocketAddress)) {
            return false;
        }
        InetAddress a = ((InetSocketAddress) address).getAddress();
        return a instanceof Inet4Address && !a.isAnyLocalAddress();
    }

    /** Applies every option to {@code ch} (a socket about to connect). */
    static void apply(NetworkChannel ch, TransportOptions o) throws IOException {
        new SocketConfig(o, true, true, true, true, true).applyTo(ch);
    }

    /**
     * Sets on a listening socket, before it binds, the keepalive times and count its accepted sockets inherit
     * (Linux copies them, and the JDK lets a {@code ServerSocketChannel} set these three but not {@code TCP_NODELAY}
     * or {@code SO_KEEPALIVE}); only those that differ from the system's default, so a count left at the default
     * keeps following {@code net.ipv4.tcp_keepalive_probes}. {@link #forAccepted} then finds them set.
     */
    static void applyToListening(NetworkChannel ch, TransportOptions o) throws IOException {
        if (!o.keepAlive()) {
            return;
        }
        Set<SocketOption<?>> supported = ch.supportedOptions();
        inherit(ch, supported, ExtendedSocketOptions.TCP_KEEPIDLE, o.keepAliveIdleSeconds());
        inherit(ch, supported, ExtendedSocketOptions.TCP_KEEPINTERVAL, o.keepAliveIntervalSeconds());
        inherit(ch, supported, ExtendedSocketOptions.TCP_KEEPCOUNT, o.keepAliveCount());
    }

    private static void inherit(NetworkChannel ch, Set<SocketOption<?>> supported, SocketOption<Integer> option,
                                int value) throws IOException {
        if (supported.contains(option) && value != ch.getOption(option)) {
            ch.setOption(option, value);
        }
    }

    /**
     * What to set on the sockets a listening socket accepts: the options {@code first} (a socket it accepted,
     * not configured yet) does not have already.
     */
    static SocketConfig forAccepted(NetworkChannel first, TransportOptions o) throws IOException {
        Set<SocketOption<?>> supported = first.supportedOptions();
        boolean keep = o.keepAlive();
        return new SocketConfig(o,
                differs(first, supported, StandardSocketOptions.TCP_NODELAY, o.tcpNoDelay()),
                differs(first, supported, StandardSocketOptions.SO_KEEPALIVE, keep),
                keep && differs(first, supported, ExtendedSocketOptions.TCP_KEEPIDLE, o.keepAliveIdleSeconds()),
                keep && differs(first, supported, ExtendedSocketOptions.TCP_KEEPINTERVAL,
                        o.keepAliveIntervalSeconds()),
                keep && differs(first, supported, ExtendedSocketOptions.TCP_KEEPCOUNT, o.keepAliveCount()));
    }

    /** Whether {@code ch} lacks {@code value} for {@code option}; an option it does not support counts as lacking. */
    private static <T> boolean differs(NetworkChannel ch, Set<SocketOption<?>> supported, SocketOption<T> option,
                                       T value) throws IOException {
        return !supported.contains(option) || !value.equals(ch.getOption(option));
    }

    /** Sets on {@code ch} what this configuration says to set. */
    void applyTo(NetworkChannel ch) throws IOException {
        TransportOptions o = options;
        Set<SocketOption<?>> supported = ch.supportedOptions();
        if (noDelay && supported.contains(StandardSocketOptions.TCP_NODELAY)) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, o.tcpNoDelay());
        }
        if (supported.contains(StandardSocketOptions.SO_KEEPALIVE)) {
            if (keepAlive) {
                ch.setOption(StandardSocketOptions.SO_KEEPALIVE, o.keepAlive());
            }
            if (o.keepAlive()) {
                if (keepIdle) {
                    setIfSupported(ch, supported, ExtendedSocketOptions.TCP_KEEPIDLE, o.keepAliveIdleSeconds());
                }
                if (keepInterval) {
                    setIfSupported(ch, supported, ExtendedSocketOptions.TCP_KEEPINTERVAL,
                            o.keepAliveIntervalSeconds());
                }
                if (keepCount) {
                    setIfSupported(ch, supported, ExtendedSocketOptions.TCP_KEEPCOUNT, o.keepAliveCount());
                }
            }
        }
        if (o.sendBufferSize() > 0 && supported.contains(StandardSocketOptions.SO_SNDBUF)) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, o.sendBufferSize());
        }
        if (o.receiveBufferSize() > 0 && supported.contains(StandardSocketOptions.SO_RCVBUF)) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, o.receiveBufferSize());
        }
    }

    private static void setIfSupported(NetworkChannel ch, Set<SocketOption<?>> supported,
                                       SocketOption<Integer> option, int value) throws IOException {
        if (supported.contains(option)) {
            ch.setOption(option, value);
        } else {
            log.debug("{} is not supported here; keepalive uses the system default", option.name());
        }
    }
}
