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

    public static RpcServiceOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The largest record (call) accepted on a stream; a header promising more closes the connection. */
    public int maxRecordSize() {
        return maxRecordSize;
    }

    /** Calls per connection dispatched and not yet replied to (written); at the limit reading pauses. */
    public int outstandingLimit() {
        return outstandingLimit;
    }

    /**
     * How long a stream connection may hold an incomplete record before it is closed (DISCONNECT cause
     * {@code TIMEOUT}); zero for no limit (the default).
     */
    public Duration recordTimeout() {
        return recordTimeout;
    }

    /** The authenticator for {@code flavor}, or {@code null} (the call is then denied AUTH_BADCRED). */
    public Authenticator authenticator(int flavor) {
        return authenticators.get(flavor);
    }

    public ListenerOptions listenerOptions() {
        return listenerOptions;
    }

    /** Whether the service registers GlusterFS's GF-DUMP program (the default, as GlusterFS's rpcsvc does). */
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

        /** Default 4 MiB. */
        public Builder maxRecordSize(int bytes) {
            if (bytes < 64) {
                throw new IllegalArgumentException("maxRecordSize must be at least 64, got " + bytes);
            }
            this.maxRecordSize = bytes;
            return this;
        }

        /** Default 64, as GlusterFS's {@code rpc.outstanding-rpc-limit}. */
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
         */
        public Builder recordTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "recordTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("recordTimeout must not be negative, got " + timeout);
            }
            this.recordTimeout = timeout;
            return this;
        }

        /** Accepts credentials of {@code flavor} through {@code authenticator} (replacing a built-in one). */
        public Builder authenticator(int flavor, Authenticator authenticator) {
            authenticators.put(flavor, Objects.requireNonNull(authenticator, "authenticator"));
            return this;
        }

        /** Stops accepting {@code flavor} (e.g. AUTH_NONE on a service that needs to know its callers). */
        public Builder refuseFlavor(int flavor) {
            authenticators.remove(flavor);
            return this;
        }

        /** Listener and connection options for {@link RpcService#listen}; the decoder is always record marking. */
        public Builder listenerOptions(ListenerOptions options) {
            this.listenerOptions = Objects.requireNonNull(options, "listenerOptions");
            return this;
        }

        /**
         * Whether to register GF-DUMP (123451501 v1: NULL, DUMP, PING) in the service. On by default for
         * GlusterFS compatibility (every GlusterFS service has it, and the gluster CLI and clients ping and dump
         * through it); a service that is no GlusterFS server may leave it out, so that it does not advertise a
         * GlusterFS program to every {@code rpcinfo} probe.
         */
        public Builder gfDump(boolean on) {
            this.gfDump = on;
            return this;
        }

        public RpcServiceOptions build() {
            return new RpcServiceOptions(this);
        }
    }
}
