package io.ripcord.examples.rpc;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --timeout SECONDS}, shared by the {@code rpc} subcommands: for the connect and for each call. */
final class TimeoutOption {

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Connect and per-call timeout in seconds (default: ${DEFAULT-VALUE}).")
    private double seconds = 10;

    /** @throws IllegalArgumentException if not positive */
    Duration timeout() {
        if (!(seconds > 0) || seconds > 86_400) {
            throw new IllegalArgumentException("--timeout must be in (0, 86400] seconds, got " + seconds);
        }
        return Duration.ofNanos((long) (seconds * 1e9));
    }
}
