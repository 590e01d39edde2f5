package io.ripcord.rpc.auth.gss;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link GssAcceptor} bounds its contexts and tokens. Immutable; {@link #defaults()} or
 * {@link #builder()}.
 */
public final class GssServerOptions {

    private static final GssServerOptions DEFAULTS = builder().build();

    private final int maxContexts;
    private final Duration contextLifetime;
    private final Duration idleTimeout;
    private final Duration establishTimeout;
    private final int sequenceWindow;
    private final int maxTokenSize;

    private GssServerOptions(Builder b) {
        this.maxContexts = b.maxContexts;
        this.contextLifetime = b.contextLifetime;
        this.idleTimeout = b.idleTimeout;
        this.establishTimeout = b.establishTimeout;
        this.sequenceWindow = b.sequenceWindow;
        this.maxTokenSize = b.maxTokenSize;
    }

    /** {@return the defaults: 10,000 contexts, 8 h lifetime, 30 min idle, 60 s to establish, window 128, 64 KiB tokens} */
    public static GssServerOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the most contexts held at once, established or being established} */
    public int maxContexts() {
        return maxContexts;
    }

    /** {@return the longest an established context lives; the Kerberos ticket's end shortens it} */
    public Duration contextLifetime() {
        return contextLifetime;
    }

    /** {@return how long an unused context is kept} */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** {@return how long a context may stay half-established between CONTINUE_INIT rounds} */
    public Duration establishTimeout() {
        return establishTimeout;
    }

    /** {@return the sequence window advertised to clients (RFC 2203 section 5.2.3.1)} */
    public int sequenceWindow() {
        return sequenceWindow;
    }

    /** {@return the longest GSS-API token accepted in a context creation call} */
    public int maxTokenSize() {
        return maxTokenSize;
    }

    @Override
    public String toString() {
        return "GssServerOptions[maxContexts " + maxContexts + ", lifetime " + contextLifetime + ", idle " + idleTimeout
                + ", establish " + establishTimeout + ", window " + sequenceWindow + ", maxTokenSize " + maxTokenSize
                + "]";
    }

    /** Builds {@link GssServerOptions}; every setter checks its value at once. */
    public static final class Builder {
        private int maxContexts = 10_000;
        private Duration contextLifetime = Duration.ofHours(8);
        private Duration idleTimeout = Duration.ofMinutes(30);
        private Duration establishTimeout = Duration.ofSeconds(60);
        private int sequenceWindow = 128;
        private int maxTokenSize = 64 * 1024;

        private Builder() {
        }

        /**
         * Bounds the contexts the server holds (memory, and a client that creates contexts in a loop); default
         * 10,000.
         *
         * @param n the most contexts held at once, at least 1. At the limit a new context evicts an expired one,
         *          else the least recently used (its client then hears RPCSEC_GSS_CREDPROBLEM and establishes a
         *          new one)
         * @return this builder
         */
        public Builder maxContexts(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxContexts must be at least 1: " + n);
            }
            this.maxContexts = n;
            return this;
        }

        /**
         * Ends every context this long after it was established, however busy (sooner when the client's Kerberos
         * ticket ends first); default 8 hours.
         *
         * @param d the longest an established context lives, positive
         * @return this builder
         */
        public Builder contextLifetime(Duration d) {
            this.contextLifetime = positive(d, "contextLifetime");
            return this;
        }

        /**
         * Ends a context no call has used for this long; default 30 minutes.
         *
         * @param d how long an unused context is kept, positive
         * @return this builder
         */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive(d, "idleTimeout");
            return this;
        }

        /**
         * Ends a context creation the client does not finish in time; default 60 s.
         *
         * @param d how long a half-established context waits for its next CONTINUE_INIT, positive
         * @return this builder
         */
        public Builder establishTimeout(Duration d) {
            this.establishTimeout = positive(d, "establishTimeout");
            return this;
        }

        /**
         * The sequence window the server grants each context (RFC 2203 section 5.3.3.1); default 128.
         *
         * @param n the sequence window, 1 to 65,536; clients sending many calls at once need a wide one
         * @return this builder
         */
        public Builder sequenceWindow(int n) {
            if (n < 1 || n > GssSequenceWindow.MAX_SIZE) {
                throw new IllegalArgumentException("sequenceWindow must be 1.." + GssSequenceWindow.MAX_SIZE + ": "
                        + n);
            }
            this.sequenceWindow = n;
            return this;
        }

        /**
         * Bounds the tokens of context creation; default 64 KiB.
         *
         * @param n the longest GSS-API token accepted, 1 KiB to 1 MiB; Kerberos tickets with large
         *          authorization data (Active Directory PACs) need tens of KiB
         * @return this builder
         */
        public Builder maxTokenSize(int n) {
            if (n < 1024 || n > 1024 * 1024) {
                throw new IllegalArgumentException("maxTokenSize must be 1024..1048576: " + n);
            }
            this.maxTokenSize = n;
            return this;
        }

        /** {@return the options} */
        public GssServerOptions build() {
            return new GssServerOptions(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }
}
