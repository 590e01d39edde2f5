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

    public static DatagramOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some of them. */
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
     */
    public int maxDatagramSize() {
        return maxDatagramSize;
    }

    /** {@code receive} calls per poll-in, so one busy peer cannot hold the poller (default 64). */
    public int maxReadsPerWakeup() {
        return maxReadsPerWakeup;
    }

    /** {@code send} calls per poll-out or flush, so a long queue cannot hold the poller (default 64). */
    public int maxWritesPerWakeup() {
        return maxWritesPerWakeup;
    }

    /** SO_RCVBUF, or 0 for the system default. */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    /** SO_SNDBUF, or 0 for the system default. */
    public int sendBufferSize() {
        return sendBufferSize;
    }

    /**
     * The bytes of datagrams waiting to be sent, at most (default 1 MiB); a datagram that would go beyond it is
     * dropped and counted in {@link DatagramEndpoint#dropped()}. Zero never queues: what the socket does not
     * take at once is dropped.
     */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** SO_REUSEADDR before binding (default off). */
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

        /** From 1 to 65536 bytes. */
        public Builder maxDatagramSize(int bytes) {
            if (bytes < 1 || bytes > MAX_UDP_DATAGRAM) {
                throw new IllegalArgumentException(
                        "maxDatagramSize must be between 1 and " + MAX_UDP_DATAGRAM + " bytes, got " + bytes);
            }
            this.maxDatagramSize = bytes;
            return this;
        }

        public Builder maxReadsPerWakeup(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxReadsPerWakeup must be at least 1, got " + n);
            }
            this.maxReadsPerWakeup = n;
            return this;
        }

        public Builder maxWritesPerWakeup(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxWritesPerWakeup must be at least 1, got " + n);
            }
            this.maxWritesPerWakeup = n;
            return this;
        }

        /** SO_RCVBUF; 0 keeps the system default. The system may cap it (Linux: {@code net.core.rmem_max}). */
        public Builder receiveBufferSize(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("receiveBufferSize must be 0 (system default) or more, got "
                        + bytes);
            }
            this.receiveBufferSize = bytes;
            return this;
        }

        /** SO_SNDBUF; 0 keeps the system default. The system may cap it (Linux: {@code net.core.wmem_max}). */
        public Builder sendBufferSize(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("sendBufferSize must be 0 (system default) or more, got "
                        + bytes);
            }
            this.sendBufferSize = bytes;
            return this;
        }

        public Builder maxQueuedBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxQueuedBytes must be 0 or more, got " + bytes);
            }
            this.maxQueuedBytes = bytes;
            return this;
        }

        public Builder reuseAddress(boolean on) {
            this.reuseAddress = on;
            return this;
        }

        public DatagramOptions build() {
            return new DatagramOptions(this);
        }
    }
}
