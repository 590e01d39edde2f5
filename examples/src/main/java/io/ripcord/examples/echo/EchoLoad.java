package io.ripcord.examples.echo;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What an {@link EchoClient} run does: {@code connections} connections to {@code address}, each keeping
 * {@code depth} messages of {@code size} bytes in flight, for {@code warmup} (not measured) then
 * {@code duration} (measured), on a client pool of {@code pollers} threads.
 *
 * @param tls whether to speak TLS with the demo certificate
 */
public record EchoLoad(SocketAddress address, int connections, int size, int depth, Duration duration,
                       Duration warmup, int pollers, boolean tls) {

    public EchoLoad {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(warmup, "warmup");
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, got " + connections);
        }
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1 byte, got " + size);
        }
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be at least 1, got " + depth);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, got " + duration);
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup must not be negative, got " + warmup);
        }
        if (pollers < 1) {
            throw new IllegalArgumentException("pollers must be at least 1, got " + pollers);
        }
    }
}
