package io.ripcord.transport;

import java.util.Objects;

/** How a {@link Listener} accepts. Immutable; make one with {@link #builder()}. */
public final class ListenerOptions {

    private final int backlog;
    private final int maxConnections;
    private final int acceptsPerWakeup;
    private final TransportOptions transportOptions;

    private ListenerOptions(Builder b) {
        this.backlog = b.backlog;
        this.maxConnections = b.maxConnections;
        this.acceptsPerWakeup = b.acceptsPerWakeup;
        this.transportOptions = b.transportOptions;
    }

    public static ListenerOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The listen backlog (default 1024). */
    public int backlog() {
        return backlog;
    }

    /** Connections open at once; beyond it new ones are accepted and closed at once (default unlimited). */
    public int maxConnections() {
        return maxConnections;
    }

    /** Accepts per poll-in, so a connect storm cannot hold the listener's poller (default 64). */
    public int acceptsPerWakeup() {
        return acceptsPerWakeup;
    }

    /** Options for every accepted connection. */
    public TransportOptions transportOptions() {
        return transportOptions;
    }

    /** A builder of {@link ListenerOptions}; not thread-safe. */
    public static final class Builder {
        private int backlog = 1024;
        private int maxConnections = Integer.MAX_VALUE;
        private int acceptsPerWakeup = 64;
        private TransportOptions transportOptions = TransportOptions.defaults();

        private Builder() {
        }

        public Builder backlog(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("backlog must be at least 1, got " + n);
            }
            this.backlog = n;
            return this;
        }

        public Builder maxConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, got " + n);
            }
            this.maxConnections = n;
            return this;
        }

        public Builder acceptsPerWakeup(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("acceptsPerWakeup must be at least 1, got " + n);
            }
            this.acceptsPerWakeup = n;
            return this;
        }

        public Builder transportOptions(TransportOptions options) {
            this.transportOptions = Objects.requireNonNull(options, "transportOptions");
            return this;
        }

        public ListenerOptions build() {
            return new ListenerOptions(this);
        }
    }
}
