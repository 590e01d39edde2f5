package io.ripcord.examples.rpc;

import io.ripcord.rpc.client.ConnectionSetup;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --timeout SECONDS} and {@code --udp}, shared by the {@code rpc} subcommands. */
final class ConnectOptions {

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Connect and per-call timeout in seconds (default: ${DEFAULT-VALUE}).")
    private double seconds = 10;

    @Option(names = "--udp", description = "Call over UDP (one call per datagram, resent after 1 s, 2 s, 4 s ... "
            + "while unanswered) instead of TCP, like rpcinfo -T udp.")
    private boolean udp;

    /** @throws IllegalArgumentException if not positive */
    Duration timeout() {
        if (!(seconds > 0) || seconds > 86_400) {
            throw new IllegalArgumentException("--timeout must be in (0, 86400] seconds, got " + seconds);
        }
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    /** Connects (TCP or a Unix socket), or opens a UDP client with {@code --udp}. */
    Endpoint connect(SocketAddress address) throws IOException, InterruptedException {
        return udp ? Endpoint.openUdp(address, timeout()) : Endpoint.connect(address, timeout());
    }

    /** Connects with each connection prepared by {@code setup} ({@code --tls}); {@code null}: as above. */
    Endpoint connect(SocketAddress address, ConnectionSetup setup) throws IOException, InterruptedException {
        if (setup == null) {
            return connect(address);
        }
        if (udp) {
            throw new IOException("--tls runs over TCP (RFC 9289 over UDP needs DTLS, which Ripcord does not do)");
        }
        return Endpoint.connect(address, timeout(), setup);
    }
}
