package io.ripcord.examples.echo;

import java.io.PrintStream;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What an {@link EchoClient} run measured after its warmup.
 *
 * @param messages          echoes completed in the measured window
 * @param elapsedNanos      length of the measured window
 * @param latencyNanos      round-trip latency of each of those messages
 * @param mismatches        connections whose echo differed from what was sent (a wrong, missing or extra byte)
 * @param failedConnections connections that failed to connect or ended before the run did
 * @param stalledConnections open connections that completed no echo in the measured window (not an error by
 *                          itself: a sign of a stuck connection or an unfair server)
 * @param firstMismatch     what the first mismatch was ({@code null} if none): the byte, and what it means
 *                          when it is recognisable (a TLS record from a TLS server)
 */
public record EchoResult(EchoLoad load, long messages, long elapsedNanos, Histogram latencyNanos,
                         long mismatches, long failedConnections, long stalledConnections, String firstMismatch) {

    public double messagesPerSecond() {
        return messages * 1e9 / elapsedNanos;
    }

    /** Payload one way, in MiB per second. */
    public double mibPerSecond() {
        return messagesPerSecond() * load.size() / (1024.0 * 1024.0);
    }

    public long errors() {
        return mismatches + failedConnections;
    }

    /** Latency at {@code percentile} (0..100) in microseconds. */
    public double latencyMicros(double percentile) {
        return latencyNanos.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Prints the result block: one {@code key: value} per line, so scripts can read it. */
    public void print(PrintStream out) {
        out.printf(Locale.ROOT, "target: %s%n", load.address());
        out.printf(Locale.ROOT, "connections: %d%n", load.connections());
        out.printf(Locale.ROOT, "size_bytes: %d%n", load.size());
        out.printf(Locale.ROOT, "depth: %d%n", load.depth());
        out.printf(Locale.ROOT, "measured_s: %.2f%n", elapsedNanos / 1e9);
        out.printf(Locale.ROOT, "messages: %d%n", messages);
        out.printf(Locale.ROOT, "messages_per_s: %.0f%n", messagesPerSecond());
        out.printf(Locale.ROOT, "mib_per_s: %.2f%n", mibPerSecond());
        out.printf(Locale.ROOT, "latency_p50_us: %.1f%n", latencyMicros(50));
        out.printf(Locale.ROOT, "latency_p99_us: %.1f%n", latencyMicros(99));
        out.printf(Locale.ROOT, "latency_p999_us: %.1f%n", latencyMicros(99.9));
        out.printf(Locale.ROOT, "latency_max_us: %.1f%n", latencyNanos.getMaxValue() / 1000.0);
        out.printf(Locale.ROOT, "mismatches: %d%n", mismatches);
        if (firstMismatch != null) {
            out.printf(Locale.ROOT, "first_mismatch: %s%n", firstMismatch);
        }
        out.printf(Locale.ROOT, "failed_connections: %d%n", failedConnections);
        out.printf(Locale.ROOT, "stalled_connections: %d%n", stalledConnections);
        out.printf(Locale.ROOT, "errors: %d%n", errors());
        out.flush();
    }
}
