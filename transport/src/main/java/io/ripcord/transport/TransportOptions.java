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

    /**
     * The defaults, the same as {@code builder().build()}.
     *
     * @return options with TCP_NODELAY and keepalive on, watermarks 32/64 KiB, a 10 s connect timeout, no idle
     *     or frame timeout, no decoder, no retry and no TLS
     */
    public static TransportOptions defaults() {
        return builder().build();
    }

    /**
     * Starts a set of options from the defaults ({@link #defaults()}).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options, to change some of them; these options stay as they are.
     *
     * @return a new builder with every setting of these options
     */
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

    /**
     * Whether Nagle's algorithm is off ({@code TCP_NODELAY}), so small messages go out at once.
     *
     * @return {@code true} for TCP_NODELAY on (the default); ignored on Unix domain sockets
     */
    public boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    /**
     * Whether TCP keepalive probes a silent peer ({@code SO_KEEPALIVE}).
     *
     * @return {@code true} for keepalive on (the default)
     */
    public boolean keepAlive() {
        return keepAlive;
    }

    /**
     * How long a connection is silent before keepalive probes start ({@code TCP_KEEPIDLE}).
     *
     * @return seconds; 20 by default, as GlusterFS
     */
    public int keepAliveIdleSeconds() {
        return keepAliveIdleSeconds;
    }

    /**
     * Time between two keepalive probes ({@code TCP_KEEPINTERVAL}).
     *
     * @return seconds; 2 by default
     */
    public int keepAliveIntervalSeconds() {
        return keepAliveIntervalSeconds;
    }

    /**
     * How many unanswered keepalive probes end the connection ({@code TCP_KEEPCOUNT}).
     *
     * @return the count; 9 by default
     */
    public int keepAliveCount() {
        return keepAliveCount;
    }

    /**
     * The socket's send buffer size ({@code SO_SNDBUF}).
     *
     * @return bytes, or 0 to leave the system's default (and its auto-tuning)
     */
    public int sendBufferSize() {
        return sendBufferSize;
    }

    /**
     * The socket's receive buffer size ({@code SO_RCVBUF}).
     *
     * @return bytes, or 0 to leave the system's default (and its auto-tuning)
     */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    /**
     * How the byte stream is cut into messages.
     *
     * @return the supplier called once per connection for its own decoder, or {@code null}: each read is
     *     delivered as it came
     */
    public Supplier<FrameDecoder> decoder() {
        return decoder;
    }

    /**
     * The most reads from one connection per wakeup of its poller, so one busy peer cannot starve the
     * others.
     *
     * @return the count, at least 1; 16 by default
     */
    public int maxReadsPerWakeup() {
        return maxReadsPerWakeup;
    }

    /**
     * The most write attempts per flush before the connection waits for poll-out, so one slow peer
     * cannot starve the others.
     *
     * @return the count, at least 1; 16 by default
     */
    public int maxWriteSpins() {
        return maxWriteSpins;
    }

    /**
     * Size of the per-poller read buffer, and the first size of a connection's buffer for a partial frame.
     *
     * @return bytes, at least 256; 64 KiB by default
     */
    public int readBufferSize() {
        return readBufferSize;
    }

    /**
     * Queued bytes above which the connection turns unwritable ({@link Transport#isWritable()}).
     *
     * @return bytes; 64 KiB by default
     */
    public long writeHighWatermark() {
        return writeHighWatermark;
    }

    /**
     * Queued bytes under which an unwritable connection turns writable again.
     *
     * @return bytes, less than the high watermark; 32 KiB by default
     */
    public long writeLowWatermark() {
        return writeLowWatermark;
    }

    /**
     * Whether the connection stops reading while it is unwritable, so a peer that sends but does not
     * read cannot make us queue without bound.
     *
     * @return {@code true} to pause; {@code false} by default
     */
    public boolean pauseReadingWhenUnwritable() {
        return pauseReadingWhenUnwritable;
    }

    /**
     * Whether the peer's end of stream is a half-close ({@link TransportListener#onInputShutdown}) rather
     * than a disconnect with cause {@link DisconnectCause#EOF}.
     *
     * @return {@code true} to allow half-close; {@code false} by default
     */
    public boolean allowHalfClose() {
        return allowHalfClose;
    }

    /**
     * How long nothing may be read before {@link TransportListener#onIdle} with
     * {@link IdleState#READ_IDLE}.
     *
     * @return the timeout on the pool's clock; zero (the default) for none
     */
    public Duration readIdleTimeout() {
        return readIdleTimeout;
    }

    /**
     * How long nothing may be written before {@link TransportListener#onIdle} with
     * {@link IdleState#WRITE_IDLE}.
     *
     * @return the timeout on the pool's clock; zero (the default) for none
     */
    public Duration writeIdleTimeout() {
        return writeIdleTimeout;
    }

    /**
     * How long nothing may be read nor written before {@link TransportListener#onIdle} with
     * {@link IdleState#ALL_IDLE}.
     *
     * @return the timeout on the pool's clock; zero (the default) for none
     */
    public Duration allIdleTimeout() {
        return allIdleTimeout;
    }

    /**
     * The longest a partial frame may stay buffered before the connection is closed with cause
     * {@link DisconnectCause#TIMEOUT}. See {@link Builder#frameTimeout}.
     *
     * @return the limit on the pool's clock; zero (the default) for none
     */
    public Duration frameTimeout() {
        return frameTimeout;
    }

    /**
     * How long one connect attempt may take before it fails with a {@link java.net.ConnectException}.
     *
     * @return the timeout on the pool's clock; 10 s by default, zero to wait for the system's own timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * How the {@link Connector} retries a failed connect.
     *
     * @return the policy, or {@code null} (the default) for a single attempt
     */
    public ReconnectPolicy reconnectPolicy() {
        return reconnectPolicy;
    }

    /**
     * Whether, and how, the connection runs TLS.
     *
     * @return client or server TLS options, or {@code null} (the default) for plain bytes
     */
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

        /**
         * Turns Nagle's algorithm off ({@code true}, the default) or on.
         *
         * @param on whether to set TCP_NODELAY
         * @return this builder
         */
        public Builder tcpNoDelay(boolean on) {
            this.tcpNoDelay = on;
            return this;
        }

        /**
         * TCP keepalive ({@code SO_KEEPALIVE}) and its timing; idle, interval and count apply where
         * {@code jdk.net.ExtendedSocketOptions} has them (Linux, macOS).
         *
         * @param on whether to send keepalive probes
         * @param idleSeconds silence before the first probe
         * @param intervalSeconds time between probes
         * @param count unanswered probes that end the connection
         * @return this builder
         * @throws IllegalArgumentException if {@code on} and any of the three numbers is less than 1
         */
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

        /**
         * TCP keepalive on or off, keeping its timing (by default idle 20 s, interval 2 s, count 9).
         *
         * @param on whether to send keepalive probes
         * @return this builder
         */
        public Builder keepAlive(boolean on) {
            this.keepAlive = on;
            return this;
        }

        /**
         * The socket's send buffer ({@code SO_SNDBUF}).
         *
         * @param bytes the size, or 0 (the default) for the system's
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder sendBufferSize(int bytes) {
            this.sendBufferSize = nonNegative("sendBufferSize", bytes);
            return this;
        }

        /**
         * The socket's receive buffer ({@code SO_RCVBUF}).
         *
         * @param bytes the size, or 0 (the default) for the system's
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder receiveBufferSize(int bytes) {
            this.receiveBufferSize = nonNegative("receiveBufferSize", bytes);
            return this;
        }

        /**
         * How the byte stream is cut into messages; one decoder per connection.
         *
         * @param decoder called once per connection, on its owner poller; {@code null} (the default) delivers each read
         *     as it came
         * @return this builder
         */
        public Builder decoder(Supplier<FrameDecoder> decoder) {
            this.decoder = decoder;
            return this;
        }

        /**
         * The most reads from one connection per wakeup of its poller; default 16.
         *
         * @param n the count
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder maxReadsPerWakeup(int n) {
            this.maxReadsPerWakeup = positive("maxReadsPerWakeup", n);
            return this;
        }

        /**
         * The most write attempts per flush before the connection waits for poll-out; default 16.
         *
         * @param n the count
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder maxWriteSpins(int n) {
            this.maxWriteSpins = positive("maxWriteSpins", n);
            return this;
        }

        /**
         * Size of the per-poller read buffer, and the first size of a connection's buffer for a partial
         * frame; default 64 KiB.
         *
         * @param bytes the size
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is less than 256
         */
        public Builder readBufferSize(int bytes) {
            if (bytes < 256) {
                throw new IllegalArgumentException("readBufferSize must be at least 256, got " + bytes);
            }
            this.readBufferSize = bytes;
            return this;
        }

        /**
         * Queued-bytes watermarks for writability ({@link Transport#isWritable()},
         * {@link TransportListener#onWritabilityChanged}); default 32 KiB and 64 KiB.
         *
         * @param low bytes under which an unwritable connection turns writable again
         * @param high bytes above which a connection turns unwritable
         * @return this builder
         * @throws IllegalArgumentException unless {@code 0 <= low < high}
         */
        public Builder writeWatermarks(long low, long high) {
            if (low < 0 || high <= low) {
                throw new IllegalArgumentException("need 0 <= low < high, got low " + low + ", high " + high);
            }
            this.writeLowWatermark = low;
            this.writeHighWatermark = high;
            return this;
        }

        /**
         * Stop reading while the peer does not drain what we queue for it, so memory stays bounded; default off.
         *
         * @param on whether to pause reading while unwritable
         * @return this builder
         */
        public Builder pauseReadingWhenUnwritable(boolean on) {
            this.pauseReadingWhenUnwritable = on;
            return this;
        }

        /**
         * Deliver the peer's end-of-stream as {@link TransportListener#onInputShutdown} instead of a disconnect with
         * cause EOF; default off.
         *
         * @param on whether to allow half-close
         * @return this builder
         */
        public Builder allowHalfClose(boolean on) {
            this.allowHalfClose = on;
            return this;
        }

        /**
         * How long nothing may be read before {@link TransportListener#onIdle} ({@link IdleState#READ_IDLE}).
         *
         * @param d the timeout, on the pool's clock; zero (the default) disables it
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is negative
         */
        public Builder readIdleTimeout(Duration d) {
            this.readIdleTimeout = nonNegative("readIdleTimeout", d);
            return this;
        }

        /**
         * How long nothing may be written before {@link TransportListener#onIdle}
         * ({@link IdleState#WRITE_IDLE}).
         *
         * @param d the timeout, on the pool's clock; zero (the default) disables it
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is negative
         */
        public Builder writeIdleTimeout(Duration d) {
            this.writeIdleTimeout = nonNegative("writeIdleTimeout", d);
            return this;
        }

        /**
         * How long nothing may be read nor written before {@link TransportListener#onIdle}
         * ({@link IdleState#ALL_IDLE}).
         *
         * @param d the timeout, on the pool's clock; zero (the default) disables it
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is negative
         */
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
         *
         * @param d the limit, on the pool's clock
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is negative
         */
        public Builder frameTimeout(Duration d) {
            this.frameTimeout = nonNegative("frameTimeout", d);
            return this;
        }

        /**
         * How long one connect attempt may take; it then fails with a {@link java.net.ConnectException}.
         *
         * @param d the timeout, on the pool's clock; 10 s by default, zero waits for the operating system's own timeout
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is negative
         */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = nonNegative("connectTimeout", d);
            return this;
        }

        /**
         * How the {@link Connector} retries a failed connect.
         *
         * @param policy the policy, or {@code null} (the default) for a single attempt
         * @return this builder
         */
        public Builder reconnectPolicy(ReconnectPolicy policy) {
            this.reconnectPolicy = policy;
            return this;
        }

        /**
         * Runs TLS on the connection: client options for a {@link Connector}, server options for a
         * {@link Listener}.
         *
         * @param tls the TLS side and settings, or {@code null} (the default) for plain bytes
         * @return this builder
         */
        public Builder tls(TlsOptions tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Makes the options.
         *
         * @return new immutable options with this builder's settings
         */
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
