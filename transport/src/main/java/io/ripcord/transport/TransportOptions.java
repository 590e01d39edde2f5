package io.ripcord.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a connection is configured and behaves. Immutable; make one with {@link #builder()}.
 *
 * <p>Defaults follow GlusterFS's {@code socket.c} where it has one (TCP_NODELAY on, keepalive on with idle
 * 20 s, interval 2 s, count 9) and Netty where it does not (write watermarks 32/64 KiB, 16 writes per wakeup).
 */
public final class TransportOptions {

    private final boolean tcpNoDelay;
    private final boolean keepAlive;
    private final int keepAliveIdleSeconds;
    private final int keepAliveIntervalSeconds;
    private final int keepAliveCount;
    private final int sendBufferSize;
    private final int receiveBufferSize;
    private final Supplier<FrameDecoder> decoder;
    private final int maxReadsPerWakeup;
    private final int maxWriteSpins;
    private final int readBufferSize;
    private final long writeHighWatermark;
    private final long writeLowWatermark;
    private final boolean pauseReadingWhenUnwritable;
    private final boolean allowHalfClose;
    private final Duration readIdleTimeout;
    private final Duration writeIdleTimeout;
    private final Duration allIdleTimeout;
    private final Duration frameTimeout;
    private final Duration connectTimeout;
    private final ReconnectPolicy reconnectPolicy;
    private final TlsOptions tls;

    private TransportOptions(Builder b) {
        this.tcpNoDelay = b.tcpNoDelay;
        this.keepAlive = b.keepAlive;
        this.keepAliveIdleSeconds = b.keepAliveIdleSeconds;
        this.keepAliveIntervalSeconds = b.keepAliveIntervalSeconds;
        this.keepAliveCount = b.keepAliveCount;
        this.sendBufferSize = b.sendBufferSize;
        this.receiveBufferSize = b.receiveBufferSize;
        this.decoder = b.decoder;
        this.maxReadsPerWakeup = b.maxReadsPerWakeup;
        this.maxWriteSpins = b.maxWriteSpins;
        this.readBufferSize = b.readBufferSize;
        this.writeHighWatermark = b.writeHighWatermark;
        this.writeLowWatermark = b.writeLowWatermark;
        this.pauseReadingWhenUnwritable = b.pauseReadingWhenUnwritable;
        this.allowHalfClose = b.allowHalfClose;
        this.readIdleTimeout = b.readIdleTimeout;
        this.writeIdleTimeout = b.writeIdleTimeout;
        this.allIdleTimeout = b.allIdleTimeout;
        this.frameTimeout = b.frameTimeout;
        this.connectTimeout = b.connectTimeout;
        this.reconnectPolicy = b.reconnectPolicy;
        this.tls = b.tls;
    }

    public static TransportOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.tcpNoDelay = tcpNoDelay;
        b.keepAlive = keepAlive;
        b.keepAliveIdleSeconds = keepAliveIdleSeconds;
        b.keepAliveIntervalSeconds = keepAliveIntervalSeconds;
        b.keepAliveCount = keepAliveCount;
        b.sendBufferSize = sendBufferSize;
        b.receiveBufferSize = receiveBufferSize;
        b.decoder = decoder;
        b.maxReadsPerWakeup = maxReadsPerWakeup;
        b.maxWriteSpins = maxWriteSpins;
        b.readBufferSize = readBufferSize;
        b.writeHighWatermark = writeHighWatermark;
        b.writeLowWatermark = writeLowWatermark;
        b.pauseReadingWhenUnwritable = pauseReadingWhenUnwritable;
        b.allowHalfClose = allowHalfClose;
        b.readIdleTimeout = readIdleTimeout;
        b.writeIdleTimeout = writeIdleTimeout;
        b.allIdleTimeout = allIdleTimeout;
        b.frameTimeout = frameTimeout;
        b.connectTimeout = connectTimeout;
        b.reconnectPolicy = reconnectPolicy;
        b.tls = tls;
        return b;
    }

    public boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    public boolean keepAlive() {
        return keepAlive;
    }

    public int keepAliveIdleSeconds() {
        return keepAliveIdleSeconds;
    }

    public int keepAliveIntervalSeconds() {
        return keepAliveIntervalSeconds;
    }

    public int keepAliveCount() {
        return keepAliveCount;
    }

    /** SO_SNDBUF, or 0 for the system default. */
    public int sendBufferSize() {
        return sendBufferSize;
    }

    /** SO_RCVBUF, or 0 for the system default. */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    /** Makes one decoder per connection; {@code null}: each read is delivered as it came. */
    public Supplier<FrameDecoder> decoder() {
        return decoder;
    }

    public int maxReadsPerWakeup() {
        return maxReadsPerWakeup;
    }

    public int maxWriteSpins() {
        return maxWriteSpins;
    }

    /** Size of the per-poller read buffer, and the first size of a connection's buffer for a partial frame. */
    public int readBufferSize() {
        return readBufferSize;
    }

    public long writeHighWatermark() {
        return writeHighWatermark;
    }

    public long writeLowWatermark() {
        return writeLowWatermark;
    }

    public boolean pauseReadingWhenUnwritable() {
        return pauseReadingWhenUnwritable;
    }

    public boolean allowHalfClose() {
        return allowHalfClose;
    }

    public Duration readIdleTimeout() {
        return readIdleTimeout;
    }

    public Duration writeIdleTimeout() {
        return writeIdleTimeout;
    }

    public Duration allIdleTimeout() {
        return allIdleTimeout;
    }

    /**
     * The longest a partial frame may stay buffered before the connection is closed with cause
     * {@link DisconnectCause#TIMEOUT}; zero (the default) for no limit. See {@link Builder#frameTimeout}.
     */
    public Duration frameTimeout() {
        return frameTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How the connector retries a failed connect; {@code null} for no retry. */
    public ReconnectPolicy reconnectPolicy() {
        return reconnectPolicy;
    }

    /** TLS, or {@code null} for plain bytes. */
    public TlsOptions tls() {
        return tls;
    }

    /** A builder of {@link TransportOptions}; not thread-safe. */
    public static final class Builder {
        private boolean tcpNoDelay = true;
        private boolean keepAlive = true;
        private int keepAliveIdleSeconds = 20;
        private int keepAliveIntervalSeconds = 2;
        private int keepAliveCount = 9;
        private int sendBufferSize;
        private int receiveBufferSize;
        private Supplier<FrameDecoder> decoder;
        private int maxReadsPerWakeup = 16;
        private int maxWriteSpins = 16;
        private int readBufferSize = 64 * 1024;
        private long writeHighWatermark = 64 * 1024;
        private long writeLowWatermark = 32 * 1024;
        private boolean pauseReadingWhenUnwritable;
        private boolean allowHalfClose;
        private Duration readIdleTimeout = Duration.ZERO;
        private Duration writeIdleTimeout = Duration.ZERO;
        private Duration allIdleTimeout = Duration.ZERO;
        private Duration frameTimeout = Duration.ZERO;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private ReconnectPolicy reconnectPolicy;
        private TlsOptions tls;

        private Builder() {
        }

        public Builder tcpNoDelay(boolean on) {
            this.tcpNoDelay = on;
            return this;
        }

        /** SO_KEEPALIVE; idle, interval and count apply where {@code jdk.net.ExtendedSocketOptions} has them. */
        public Builder keepAlive(boolean on, int idleSeconds, int intervalSeconds, int count) {
            if (on && (idleSeconds < 1 || intervalSeconds < 1 || count < 1)) {
                throw new IllegalArgumentException("keepalive idle, interval and count must be positive, got "
                        + idleSeconds + ", " + intervalSeconds + ", " + count);
            }
            this.keepAlive = on;
            this.keepAliveIdleSeconds = idleSeconds;
            this.keepAliveIntervalSeconds = intervalSeconds;
            this.keepAliveCount = count;
            return this;
        }

        public Builder keepAlive(boolean on) {
            this.keepAlive = on;
            return this;
        }

        public Builder sendBufferSize(int bytes) {
            this.sendBufferSize = nonNegative("sendBufferSize", bytes);
            return this;
        }

        public Builder receiveBufferSize(int bytes) {
            this.receiveBufferSize = nonNegative("receiveBufferSize", bytes);
            return this;
        }

        /** One decoder per connection; {@code null} delivers each read as it came. */
        public Builder decoder(Supplier<FrameDecoder> decoder) {
            this.decoder = decoder;
            return this;
        }

        public Builder maxReadsPerWakeup(int n) {
            this.maxReadsPerWakeup = positive("maxReadsPerWakeup", n);
            return this;
        }

        public Builder maxWriteSpins(int n) {
            this.maxWriteSpins = positive("maxWriteSpins", n);
            return this;
        }

        public Builder readBufferSize(int bytes) {
            if (bytes < 256) {
                throw new IllegalArgumentException("readBufferSize must be at least 256, got " + bytes);
            }
            this.readBufferSize = bytes;
            return this;
        }

        /** Queued-bytes watermarks for writability events; {@code low < high}. */
        public Builder writeWatermarks(long low, long high) {
            if (low < 0 || high <= low) {
                throw new IllegalArgumentException("need 0 <= low < high, got low " + low + ", high " + high);
            }
            this.writeLowWatermark = low;
            this.writeHighWatermark = high;
            return this;
        }

        /** Stop reading while the peer does not drain what we queue for it, so memory stays bounded. */
        public Builder pauseReadingWhenUnwritable(boolean on) {
            this.pauseReadingWhenUnwritable = on;
            return this;
        }

        /** Deliver the peer's end-of-stream as {@link TransportListener#onInputShutdown} instead of EOF. */
        public Builder allowHalfClose(boolean on) {
            this.allowHalfClose = on;
            return this;
        }

        /** Zero disables. */
        public Builder readIdleTimeout(Duration d) {
            this.readIdleTimeout = nonNegative("readIdleTimeout", d);
            return this;
        }

        public Builder writeIdleTimeout(Duration d) {
            this.writeIdleTimeout = nonNegative("writeIdleTimeout", d);
            return this;
        }

        public Builder allIdleTimeout(Duration d) {
            this.allIdleTimeout = nonNegative("allIdleTimeout", d);
            return this;
        }

        /**
         * Closes a connection (cause {@link DisconnectCause#TIMEOUT}) that has held the start of a frame for
         * longer than {@code d} without completing it: a slow-loris peer that trickles, or stops in the middle
         * of, a frame, which an idle timeout does not catch as long as a byte arrives now and then. The clock
         * starts when bytes of an incomplete frame are first buffered (by the transport, or inside a decoder
         * that says so through {@link FrameDecoder#hasPartialFrame()}) and stops when no partial frame is left;
         * it does not run while reading is paused by us. Needs a decoder; with TLS, an incomplete TLS record
         * counts as a partial frame too (the TLS handshake has its own timeout). Zero (the default) disables it.
         */
        public Builder frameTimeout(Duration d) {
            this.frameTimeout = nonNegative("frameTimeout", d);
            return this;
        }

        /** Zero waits for the operating system's own timeout. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = nonNegative("connectTimeout", d);
            return this;
        }

        public Builder reconnectPolicy(ReconnectPolicy policy) {
            this.reconnectPolicy = policy;
            return this;
        }

        public Builder tls(TlsOptions tls) {
            this.tls = tls;
            return this;
        }

        public TransportOptions build() {
            return new TransportOptions(this);
        }

        private static int positive(String name, int v) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + v);
            }
            return v;
        }

        private static int nonNegative(String name, int v) {
            if (v < 0) {
                throw new IllegalArgumentException(name + " must not be negative, got " + v);
            }
            return v;
        }

        private static Duration nonNegative(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, got " + d);
            }
            return d;
        }
    }
}
