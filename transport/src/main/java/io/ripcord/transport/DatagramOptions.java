package io.ripcord.transport;

/**
 * How a {@link DatagramEndpoint} reads, writes and configures its socket. Immutable (safe to share between
 * threads and endpoints); make one with {@link #builder()}.
 */
public final class DatagramOptions {

    /** The largest payload a UDP datagram can carry (a 16-bit length field, RFC 768), rounded up to 64 KiB. */
    static final int MAX_UDP_DATAGRAM = 65536;

    private final int maxDatagramSize;
    private final int maxReadsPerWakeup;
    private final int maxWritesPerWakeup;
    private final int receiveBufferSize;
    private final int sendBufferSize;
    private final long maxQueuedBytes;
    private final boolean reuseAddress;

    private DatagramOptions(Builder b) {
        this.maxDatagramSize = b.maxDatagramSize;
        this.maxReadsPerWakeup = b.maxReadsPerWakeup;
        this.maxWritesPerWakeup = b.maxWritesPerWakeup;
        this.receiveBufferSize = b.receiveBufferSize;
        this.sendBufferSize = b.sendBufferSize;
        this.maxQueuedBytes = b.maxQueuedBytes;
        this.reuseAddress = b.reuseAddress;
    }

    /**
     * The defaults, the same as {@code builder().build()}.
     *
     * @return options for datagrams up to 64 KiB, 64 reads and 64 writes per wakeup, the system's buffer sizes,
     *     a 1 MiB send queue and no {@code SO_REUSEADDR}
     */
    public static DatagramOptions defaults() {
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
        b.maxDatagramSize = maxDatagramSize;
        b.maxReadsPerWakeup = maxReadsPerWakeup;
        b.maxWritesPerWakeup = maxWritesPerWakeup;
        b.receiveBufferSize = receiveBufferSize;
        b.sendBufferSize = sendBufferSize;
        b.maxQueuedBytes = maxQueuedBytes;
        b.reuseAddress = reuseAddress;
        return b;
    }

    /**
     * The largest datagram delivered, in bytes: the size of the receive buffer for one datagram (default 65536,
     * enough for any UDP datagram). A longer datagram is dropped and counted in
     * {@link DatagramEndpoint#truncated()}, never delivered cut short.
     *
     * @return the size in bytes, from 1 to 65536
     */
    public int maxDatagramSize() {
        return maxDatagramSize;
    }

    /**
     * How many datagrams the owner receives per wakeup, so one busy peer cannot hold the poller.
     *
     * @return the most {@code receive} calls per poll-in, at least 1; 64 by default
     */
    public int maxReadsPerWakeup() {
        return maxReadsPerWakeup;
    }

    /**
     * How many queued datagrams the owner sends per wakeup, so a long queue cannot hold the poller.
     *
     * @return the most {@code send} calls per poll-out or flush, at least 1; 64 by default
     */
    public int maxWritesPerWakeup() {
        return maxWritesPerWakeup;
    }

    /**
     * The socket's receive buffer ({@code SO_RCVBUF}): datagrams that arrive while it is full are lost.
     *
     * @return bytes, or 0 for the system's default
     */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    /**
     * The socket's send buffer ({@code SO_SNDBUF}).
     *
     * @return bytes, or 0 for the system's default
     */
    public int sendBufferSize() {
        return sendBufferSize;
    }

    /**
     * The bytes of datagrams waiting to be sent, at most (default 1 MiB); a datagram that would go beyond it is
     * dropped and counted in {@link DatagramEndpoint#dropped()}. Zero never queues: what the socket does not
     * take at once is dropped.
     *
     * @return the bound in bytes
     */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /**
     * Whether {@code SO_REUSEADDR} is set before binding, to share the port with another socket that sets it.
     *
     * @return {@code true} to set it; {@code false} by default
     */
    public boolean reuseAddress() {
        return reuseAddress;
    }

    @Override
    public String toString() {
        return "DatagramOptions[maxDatagramSize=" + maxDatagramSize + ", maxReadsPerWakeup=" + maxReadsPerWakeup
                + ", maxWritesPerWakeup=" + maxWritesPerWakeup + ", receiveBufferSize=" + receiveBufferSize
                + ", sendBufferSize=" + sendBufferSize + ", maxQueuedBytes=" + maxQueuedBytes
                + ", reuseAddress=" + reuseAddress + "]";
    }

    /** A builder of {@link DatagramOptions}; not thread-safe. */
    public static final class Builder {
        private int maxDatagramSize = MAX_UDP_DATAGRAM;
        private int maxReadsPerWakeup = 64;
        private int maxWritesPerWakeup = 64;
        private int receiveBufferSize;
        private int sendBufferSize;
        private long maxQueuedBytes = 1 << 20;
        private boolean reuseAddress;

        private Builder() {
        }

        /**
         * The largest datagram delivered; longer ones are dropped and counted. Default 65536, any UDP datagram.
         *
         * @param bytes the size of the receive buffer for one datagram
         * @return this builder
         * @throws IllegalArgumentException unless {@code bytes} is from 1 to 65536
         */
        public Builder maxDatagramSize(int bytes) {
            if (bytes < 1 || bytes > MAX_UDP_DATAGRAM) {
                throw new IllegalArgumentException(
                        "maxDatagramSize must be between 1 and " + MAX_UDP_DATAGRAM + " bytes, got " + bytes);
            }
            this.maxDatagramSize = bytes;
            return this;
        }

        /**
         * The most datagrams received per wakeup of the owner poller; default 64.
         *
         * @param n the count
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder maxReadsPerWakeup(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxReadsPerWakeup must be at least 1, got " + n);
            }
            this.maxReadsPerWakeup = n;
            return this;
        }

        /**
         * The most queued datagrams sent per wakeup of the owner poller; default 64.
         *
         * @param n the count
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder maxWritesPerWakeup(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxWritesPerWakeup must be at least 1, got " + n);
            }
            this.maxWritesPerWakeup = n;
            return this;
        }

        /**
         * The socket's receive buffer ({@code SO_RCVBUF}). The system may cap it (Linux:
         * {@code net.core.rmem_max}).
         *
         * @param bytes the size; 0 (the default) keeps the system's
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder receiveBufferSize(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("receiveBufferSize must be 0 (system default) or more, got "
                        + bytes);
            }
            this.receiveBufferSize = bytes;
            return this;
        }

        /**
         * The socket's send buffer ({@code SO_SNDBUF}). The system may cap it (Linux: {@code net.core.wmem_max}).
         *
         * @param bytes the size; 0 (the default) keeps the system's
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder sendBufferSize(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("sendBufferSize must be 0 (system default) or more, got "
                        + bytes);
            }
            this.sendBufferSize = bytes;
            return this;
        }

        /**
         * The most bytes of datagrams waiting to be sent; one that would go beyond is dropped. Default 1 MiB.
         *
         * @param bytes the bound; 0 never queues, so what the socket does not take at once is dropped
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder maxQueuedBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxQueuedBytes must be 0 or more, got " + bytes);
            }
            this.maxQueuedBytes = bytes;
            return this;
        }

        /**
         * Whether to set {@code SO_REUSEADDR} before binding; default off.
         *
         * @param on whether to set it
         * @return this builder
         */
        public Builder reuseAddress(boolean on) {
            this.reuseAddress = on;
            return this;
        }

        /**
         * Makes the options.
         *
         * @return new immutable options with this builder's settings
         */
        public DatagramOptions build() {
            return new DatagramOptions(this);
        }
    }
}
