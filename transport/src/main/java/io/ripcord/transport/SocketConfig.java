package io.ripcord.transport;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies {@link TransportOptions} to a socket (GlusterFS's {@code socket_init} options). */
final class SocketConfig {

    private static final Logger log = LoggerFactory.getLogger(SocketConfig.class);

    private SocketConfig() {
    }

    static void apply(NetworkChannel ch, TransportOptions o) throws IOException {
        Set<SocketOption<?>> supported = ch.supportedOptions();
        if (supported.contains(StandardSocketOptions.TCP_NODELAY)) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, o.tcpNoDelay());
        }
        if (supported.contains(StandardSocketOptions.SO_KEEPALIVE)) {
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, o.keepAlive());
            if (o.keepAlive()) {
                setIfSupported(ch, supported, jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE, o.keepAliveIdleSeconds());
                setIfSupported(ch, supported, jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL,
                        o.keepAliveIntervalSeconds());
                setIfSupported(ch, supported, jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT, o.keepAliveCount());
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
