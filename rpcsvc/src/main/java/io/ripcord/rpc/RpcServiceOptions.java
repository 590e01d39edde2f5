package io.ripcord.rpc;

import io.ripcord.rpc.auth.Authenticator;
import io.ripcord.transport.ListenerOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** How an {@link RpcService} serves. Immutable; make one with {@link #builder()}. */
public final class RpcServiceOptions {

    private final int maxRecordSize;
    private final int outstandingLimit;
    private final Duration recordTimeout;
    private final Map<Integer, Authenticator> authenticators;
    private final ListenerOptions listenerOptions;
    private final boolean gfDump;

    private RpcServiceOptions(Builder b) {
        this.maxRecordSize = b.maxRecordSize;
        this.outstandingLimit = b.outstandingLimit;
        this.recordTimeout = b.recordTimeout;
        this.authenticators = Map.copyOf(b.authenticators);
        this.listenerOptions = b.listenerOptions;
        this.gfDump = b.gfDump;
    }

    /**
     * The defaults, the same as {@code builder().build()}.
     *
     * @return options with a 4 MiB record limit, 64 outstanding calls per connection, no record timeout,
     *         AUTH_NONE, AUTH_SYS and AUTH_GLUSTERFS_v2 accepted, the default listener options and GF-DUMP
     */
    public static RpcServiceOptions defaults() {
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
     * The largest record (call) accepted on a stream; a header promising more closes the connection before
     * anything is allocated.
     *
     * @return the limit in bytes, at least 64 (default 4 MiB)
     */
    public int maxRecordSize() {
        return maxRecordSize;
    }

    /**
     * Calls per connection dispatched and not yet replied to (the reply written); at the limit the connection
     * stops reading until a reply is written.
     *
     * @return the limit, at least 1 (default 64)
     */
    public int outstandingLimit() {
        return outstandingLimit;
    }

    /**
     * How long a stream connection may hold an incomplete record before it is closed (DISCONNECT cause
     * {@code TIMEOUT}).
     *
     * @return the timeout, or {@link Duration#ZERO} (the default) for no limit
     */
    public Duration recordTimeout() {
        return recordTimeout;
    }

    /**
     * The authenticator that checks credentials of {@code flavor}.
     *
     * @param flavor the auth flavor number a call's credential names
     * @return the authenticator, or {@code null} if the flavor is not accepted (such a call is denied
     *         AUTH_ERROR / AUTH_BADCRED)
     */
    public Authenticator authenticator(int flavor) {
        return authenticators.get(flavor);
    }

    /**
     * Listener and connection options for {@link RpcService#listen}.
     *
     * @return the options (default {@link ListenerOptions#defaults()}); their frame decoder is ignored: the
     *         service always decodes record marking
     */
    public ListenerOptions listenerOptions() {
        return listenerOptions;
    }

    /**
     * Whether the service registers GlusterFS's GF-DUMP program, as GlusterFS's rpcsvc does.
     *
     * @return {@code true} (the default) if it does
     */
    public boolean gfDump() {
        return gfDump;
    }

    /** A builder of {@link RpcServiceOptions}; not thread-safe. */
    public static final class Builder {
        private int maxRecordSize = 4 * 1024 * 1024;
        private int outstandingLimit = 64;
        private Duration recordTimeout = Duration.ZERO;
        private final Map<Integer, Authenticator> authenticators = new HashMap<>();
        private ListenerOptions listenerOptions = ListenerOptions.defaults();
        private boolean gfDump = true;

        private Builder() {
            authenticators.put(AuthFlavor.AUTH_NONE, Authenticator.AUTH_NONE);
            authenticators.put(AuthFlavor.AUTH_SYS, Authenticator.AUTH_SYS);
            authenticators.put(AuthFlavor.AUTH_GLUSTERFS_V2, Authenticator.AUTH_GLUSTERFS_V2);
        }

        /**
         * The largest record (call) accepted on a stream; default 4 MiB.
         *
         * @param bytes the limit in bytes, at least 64
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is below 64
         */
        public Builder maxRecordSize(int bytes) {
            if (bytes < 64) {
                throw new IllegalArgumentException("maxRecordSize must be at least 64, got " + bytes);
            }
            this.maxRecordSize = bytes;
            return this;
        }

        /**
         * Calls per connection dispatched and not yet replied to before the connection stops reading; default
         * 64, as GlusterFS's {@code rpc.outstanding-rpc-limit}.
         *
         * @param calls the limit, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code calls} is below 1
         */
        public Builder outstandingLimit(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("outstandingLimit must be at least 1, got " + calls);
            }
            this.outstandingLimit = calls;
            return this;
        }

        /**
         * Closes a stream connection that started a record and has not finished it within {@code timeout}
         * (a slow-loris client that trickles a call, or stops half-way): the clock starts with the record's
         * first byte and stops when the record is whole, whatever arrives in between; it does not run while the
         * service itself has paused reading (the outstanding limit). Pick it well above the time a legitimate
         * client needs to send a maximum record. Implemented with the transport's
         * {@link io.ripcord.transport.TransportOptions.Builder#frameTimeout frame timeout}, which it replaces
         * for {@link RpcService#listen}. Zero (the default) disables it.
         *
         * @param timeout zero or positive
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is negative
         * @throws NullPointerException     if {@code timeout} is null
         */
        public Builder recordTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "recordTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("recordTimeout must not be negative, got " + timeout);
            }
            this.recordTimeout = timeout;
            return this;
        }

        /**
         * Accepts credentials of {@code flavor} through {@code authenticator} (replacing a built-in one, or one
         * set before).
         *
         * @param flavor        the auth flavor number (RFC 5531 section 8.2, or a private one such as 390039)
         * @param authenticator checks the credentials; called on the poller that read the call
         * @return this builder
         * @throws NullPointerException if {@code authenticator} is null
         */
        public Builder authenticator(int flavor, Authenticator authenticator) {
            authenticators.put(flavor, Objects.requireNonNull(authenticator, "authenticator"));
            return this;
        }

        /**
         * Stops accepting {@code flavor} (e.g. AUTH_NONE on a service that needs to know its callers): its calls
         * are then denied AUTH_BADCRED. A flavor not accepted is left as it is.
         *
         * @param flavor the auth flavor number
         * @return this builder
         */
        public Builder refuseFlavor(int flavor) {
            authenticators.remove(flavor);
            return this;
        }

        /**
         * Listener and connection options for {@link RpcService#listen}; the decoder is always record marking.
         *
         * @param options the options; not {@code null}
         * @return this builder
         * @throws NullPointerException if {@code options} is null
         */
        public Builder listenerOptions(ListenerOptions options) {
            this.listenerOptions = Objects.requireNonNull(options, "listenerOptions");
            return this;
        }

        /**
         * Whether to register GF-DUMP (123451501 v1: NULL, DUMP, PING) in the service. On by default for
         * GlusterFS compatibility (every GlusterFS service has it, and the gluster CLI and clients ping and dump
         * through it); a service that is no GlusterFS server may leave it out, so that it does not advertise a
         * GlusterFS program to every {@code rpcinfo} probe.
         *
         * @param on {@code true} to register it (the default), {@code false} to leave it out
         * @return this builder
         */
        public Builder gfDump(boolean on) {
            this.gfDump = on;
            return this;
        }

        /**
         * Makes the options; the builder can go on to make more.
         *
         * @return immutable options with this builder's settings
         */
        public RpcServiceOptions build() {
            return new RpcServiceOptions(this);
        }
    }
}
