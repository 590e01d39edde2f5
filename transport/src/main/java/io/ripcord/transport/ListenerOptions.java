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

    /**
     * The defaults, the same as {@code builder().build()}.
     *
     * @return options with a backlog of 1024, no connection limit, 64 accepts per wakeup, one listening socket
     *     and {@link TransportOptions#defaults()} for the connections
     */
    public static ListenerOptions defaults() {
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
        b.backlog = backlog;
        b.maxConnections = maxConnections;
        b.acceptsPerWakeup = acceptsPerWakeup;
        b.reusePort = reusePort;
        b.transportOptions = transportOptions;
        return b;
    }

    /**
     * How many connections the kernel may hold for the listener before it accepts them.
     *
     * @return the listen backlog, at least 1; 1024 by default (the kernel may cap it, at
     *     {@code net.core.somaxconn} on Linux)
     */
    public int backlog() {
        return backlog;
    }

    /**
     * The most connections of the listener open at once; beyond it new ones are accepted and closed at once.
     *
     * @return the limit; {@link Integer#MAX_VALUE} (the default) for none
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * The most accepts per wakeup of the listener's poller, so a connect storm cannot hold it.
     *
     * @return the count, at least 1; 64 by default
     */
    public int acceptsPerWakeup() {
        return acceptsPerWakeup;
    }

    /**
     * Whether every poller has a listening socket of its own on the address, with {@code SO_REUSEPORT} (default
     * {@code false}: one socket on one poller). See {@link Builder#reusePort(boolean)}.
     *
     * @return {@code true} for a socket per poller
     */
    public boolean reusePort() {
        return reusePort;
    }

    /**
     * How every accepted connection is configured; TLS here must be server options.
     *
     * @return the connections' options, never {@code null}
     */
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

        /**
         * The listen backlog; default 1024.
         *
         * @param n how many connections the kernel may hold before they are accepted
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder backlog(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("backlog must be at least 1, got " + n);
            }
            this.backlog = n;
            return this;
        }

        /**
         * The most connections open at once; beyond it new ones are accepted and closed at once, with one
         * WARN line per episode, rather than left to stall in the backlog. Default: no limit.
         *
         * @param n the limit
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder maxConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, got " + n);
            }
            this.maxConnections = n;
            return this;
        }

        /**
         * The most accepts per wakeup of the listener's poller; default 64.
         *
         * @param n the count
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
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
         *
         * @param on whether to have a socket per poller
         * @return this builder
         */
        public Builder reusePort(boolean on) {
            this.reusePort = on;
            return this;
        }

        /**
         * How every accepted connection is configured; default {@link TransportOptions#defaults()}.
         *
         * @param options the connections' options; TLS in them must be server options
         *     ({@link TlsOptions#server}), or {@link Listener#bind} refuses them
         * @return this builder
         */
        public Builder transportOptions(TransportOptions options) {
            this.transportOptions = Objects.requireNonNull(options, "transportOptions");
            return this;
        }

        /**
         * Makes the options.
         *
         * @return new immutable options with this builder's settings
         */
        public ListenerOptions build() {
            return new ListenerOptions(this);
        }
    }
}
