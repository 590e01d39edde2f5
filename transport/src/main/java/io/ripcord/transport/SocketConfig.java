package io.ripcord.transport;

import java.io.IOException;
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
 * <p>For the sockets a listener accepts, {@link #forAccepted} first reads which options a fresh one has already
 * (once per listening socket: an accepted socket starts with the listening socket's options, which the JDK
 * cannot set on a {@code ServerSocketChannel}, so with the system's defaults), and then sets only the others.
 * With the default options that leaves out {@code TCP_KEEPCNT} (9, the Linux default): one system call fewer per
 * connection, which the connect-call-close profile in {@code benchmarks/README.md} counts. A keepalive count left
 * at the default follows the system's {@code net.ipv4.tcp_keepalive_probes} should that change later.
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
