package io.ripcord.transport;

import java.util.Objects;

/** How a {@link Listener} accepts. Immutable; make one with {@link #builder()}. */
public final class ListenerOptions {

    private final int backlog;
    private final int maxConnections;
    private final int acceptsPerWakeup;
    private final boolean reusePort;
    private final TransportOptions transportOptions;

    private ListenerOptions(Builder b) {
        this.backlog = b.backlog;
        this.maxConnections = b.maxConnections;
        this.acceptsPerWakeup = b.acceptsPerWakeup;
        this.reusePort = b.reusePort;
        this.transportOptions = b.transportOptions;
    }

    public static ListenerOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.backlog = backlog;
        b.maxConnections = maxConnections;
        b.acceptsPerWakeup = acceptsPerWakeup;
        b.reusePort = reusePort;
        b.transportOptions = transportOptions;
        return b;
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

    /**
     * Whether every poller has a listening socket of its own on the address, with {@code SO_REUSEPORT} (default
     * {@code false}: one socket on one poller). See {@link Builder#reusePort(boolean)}.
     */
    public boolean reusePort() {
        return reusePort;
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
        private boolean reusePort;
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

        /**
         * Gives every poller of the pool (as many as it has at bind time) a listening socket of its own on the
         * same address, each with {@code SO_REUSEPORT}, instead of one socket on one poller. The kernel spreads
         * new connections over the sockets (by a hash of their addresses), and each poller registers the
         * connections it accepts on itself: no connection is handed from one poller to another, and accepting
         * scales with the pollers. TCP only (a Unix domain address is refused at bind). The listener's
         * {@code maxConnections} still counts all its sockets together.
         *
         * <p>What comes with {@code SO_REUSEPORT} on Linux: connections waiting in one socket's backlog when the
         * listener closes are reset (each socket has its own queue); another socket bound to the same port with
         * {@code SO_REUSEPORT} by a process of the same user would share the connections; and the spread is by
         * hash, not by load, so one poller may get more than its share.
         */
        public Builder reusePort(boolean on) {
            this.reusePort = on;
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
