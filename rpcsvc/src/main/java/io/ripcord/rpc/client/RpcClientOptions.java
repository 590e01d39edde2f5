package io.ripcord.rpc.client;

import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.ReconnectPolicy;
import io.ripcord.transport.TransportOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How an {@link RpcClient} connects and calls, and how an {@link RpcUdpClient} calls (it uses the call
 * timeout, the credential, the maximum record size as its largest reply, and the retransmit interval; the
 * connection options do not apply to it). Immutable; make one with {@link #builder()}.
 *
 * <table>
 * <caption>defaults</caption>
 * <tr><th>option</th><th>default</th><th>GlusterFS</th></tr>
 * <tr><td>{@link #callTimeout()}</td><td>30 s</td><td>{@code network.frame-timeout}, 1800 s: a blocked
 * Java caller should hear much sooner; raise it for operations known to be slow</td></tr>
 * <tr><td>{@link #pingInterval()}</td><td>0 (off)</td><td>rpc-clnt-ping, on for client-brick connections</td></tr>
 * <tr><td>{@link #pingTimeout()}</td><td>42 s</td><td>{@code network.ping-timeout}, 42 s</td></tr>
 * <tr><td>{@link #reconnectPolicy()}</td><td>none: a lost connection stays lost</td><td>reconnects every 3 s</td></tr>
 * <tr><td>{@link #credential()}</td><td>AUTH_NONE</td><td>AUTH_GLUSTERFS_v2</td></tr>
 * <tr><td>{@link #security()}</td><td>none (RPCSEC_GSS: {@code GssClient})</td><td></td></tr>
 * <tr><td>{@link #maxRecordSize()}</td><td>4 MiB</td><td></td></tr>
 * <tr><td>{@link #retransmitInterval()}</td><td>1 s, doubling up to 8 s (UDP only)</td><td>no UDP client; Linux
 * NFS over UDP starts at 1.1 s and doubles</td></tr>
 * </table>
 */
public final class RpcClientOptions {

    private final TransportOptions transportOptions;
    private final int maxRecordSize;
    private final Duration callTimeout;
    private final Credential credential;
    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final ReconnectPolicy reconnectPolicy;
    private final RpcService callbackService;
    private final Duration retransmitInterval;
    private final ConnectionSetup connectionSetup;
    private final ClientSecurity security;

    private RpcClientOptions(Builder b) {
        this.transportOptions = b.transportOptions;
        this.maxRecordSize = b.maxRecordSize;
        this.callTimeout = b.callTimeout;
        this.credential = b.credential;
        this.pingInterval = b.pingInterval;
        this.pingTimeout = b.pingTimeout;
        this.reconnectPolicy = b.reconnectPolicy;
        this.callbackService = b.callbackService;
        this.retransmitInterval = b.retransmitInterval;
        this.connectionSetup = b.connectionSetup;
        this.security = b.security;
    }

    /**
     * The defaults, the same as {@code builder().build()}.
     *
     * @return options with the defaults in the table above
     */
    public static RpcClientOptions defaults() {
        return builder().build();
    }

    /**
     * Starts a set of options from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Socket options; the frame decoder is always record marking and the connector's retry policy is always
     * {@link #reconnectPolicy()}, whatever these say.
     *
     * @return the socket options (default: TCP_NODELAY on); never {@code null}
     */
    public TransportOptions transportOptions() {
        return transportOptions;
    }

    /**
     * The largest reply (or server-to-client call) accepted; a record mark promising more disconnects.
     *
     * @return the limit in bytes, at least 64 (default 4 MiB)
     */
    public int maxRecordSize() {
        return maxRecordSize;
    }

    /**
     * How long a call waits for its reply unless its {@link CallOptions} say otherwise.
     *
     * @return a positive duration (default 30 s)
     */
    public Duration callTimeout() {
        return callTimeout;
    }

    /**
     * The credential every call carries unless its {@link CallOptions} say otherwise.
     *
     * @return the credential (default {@link Credential#NONE}); never {@code null}, and unused when
     *         {@link #security()} is set
     */
    public Credential credential() {
        return credential;
    }

    /**
     * Silence, with calls outstanding, after which a GF-DUMP PING is sent.
     *
     * @return the interval, or {@link Duration#ZERO} (the default) when the client does not ping
     */
    public Duration pingInterval() {
        return pingInterval;
    }

    /**
     * Silence, with calls outstanding, after which the connection is dropped (cause TIMEOUT); applies only
     * when {@link #pingInterval()} is not zero.
     *
     * @return a positive duration (default 42 s)
     */
    public Duration pingTimeout() {
        return pingTimeout;
    }

    /**
     * How to connect again after losing the connection (and to retry the first connect).
     *
     * @return the policy, or {@code null} (the default) when a lost connection stays lost
     */
    public ReconnectPolicy reconnectPolicy() {
        return reconnectPolicy;
    }

    /**
     * The service that serves the server's calls to this client on its connection.
     *
     * @return the service, or {@code null} (the default) when calls from the server are not served
     */
    public RpcService callbackService() {
        return callbackService;
    }

    /**
     * UDP only ({@link RpcUdpClient}): an unanswered call is sent again after this long, then after twice as
     * long, up to 8 times this, until its timeout. Each copy has the same xid, so the server may run the call more
     * than once (RFC 5531's at-least-once over UDP); make only idempotent calls over UDP, or calls the server
     * answers from a duplicate-request cache.
     *
     * @return the first retransmit interval, positive (default 1 s)
     */
    public Duration retransmitInterval() {
        return retransmitInterval;
    }

    /**
     * What prepares each new connection before the client calls on it. Streams only.
     *
     * @return the setup, or {@code null} (the default) for none
     */
    public ConnectionSetup connectionSetup() {
        return connectionSetup;
    }

    /**
     * The security flavor that gives each client its own state and every call its credential (RPCSEC_GSS), or
     * {@code null}. Streams only.
     *
     * @return the security flavor, or {@code null} (the default) when calls carry {@link #credential()}
     */
    public ClientSecurity security() {
        return security;
    }

    @Override
    public String toString() {
        return "RpcClientOptions[callTimeout=" + callTimeout + ", credential="
                + (security != null ? security : credential) + ", pingInterval="
                + pingInterval + ", pingTimeout=" + pingTimeout + ", reconnect=" + (reconnectPolicy != null)
                + ", maxRecordSize=" + maxRecordSize + ", retransmitInterval=" + retransmitInterval + "]";
    }

    /** A builder of {@link RpcClientOptions}; not thread-safe. */
    public static final class Builder {
        private TransportOptions transportOptions = TransportOptions.builder().tcpNoDelay(true).build();
        private int maxRecordSize = 4 * 1024 * 1024;
        private Duration callTimeout = Duration.ofSeconds(30);
        private Credential credential = Credential.NONE;
        private Duration pingInterval = Duration.ZERO;
        private Duration pingTimeout = Duration.ofSeconds(42);
        private ReconnectPolicy reconnectPolicy;
        private RpcService callbackService;
        private Duration retransmitInterval = Duration.ofSeconds(1);
        private ConnectionSetup connectionSetup;
        private ClientSecurity security;

        private Builder() {
        }

        /**
         * Socket options (default: TCP_NODELAY on). Their frame decoder and retry policy are ignored.
         *
         * @param options the socket options; not {@code null}
         * @return this builder
         * @throws NullPointerException if {@code options} is null
         */
        public Builder transportOptions(TransportOptions options) {
            this.transportOptions = Objects.requireNonNull(options, "transportOptions");
            return this;
        }

        /**
         * The largest reply (or call from the server) the client accepts; default 4 MiB.
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
         * How long a call waits for its reply unless its {@link CallOptions} say otherwise; default 30 s.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         * @throws NullPointerException     if {@code timeout} is null
         */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = positive(timeout, "callTimeout");
            return this;
        }

        /**
         * The credential every call carries unless its {@link CallOptions} say otherwise; default
         * {@link Credential#NONE}.
         *
         * @param credential the credential; not {@code null}
         * @return this builder
         * @throws NullPointerException if {@code credential} is null
         */
        public Builder credential(Credential credential) {
            this.credential = Objects.requireNonNull(credential, "credential");
            return this;
        }

        /**
         * A credential of {@code flavor} whose body {@code body} writes; see {@link Credential#of}.
         *
         * @param flavor the auth flavor number (RFC 5531 section 8.2), e.g. 390039 for GlusterFS's
         * @param body   writes the credential's opaque body, at once
         * @return this builder
         * @throws IllegalArgumentException if the body is longer than 400 bytes
         */
        public Builder credential(int flavor, Consumer<XdrEncoder> body) {
            return credential(Credential.of(flavor, body));
        }

        /**
         * Turns the ping on: with calls outstanding, a GF-DUMP PING goes out after {@code interval} of silence,
         * and after {@code timeout} of silence the connection is dropped and its calls fail. Any reply counts,
         * even PROG_UNAVAIL from a server without GF-DUMP. {@link Duration#ZERO} turns it off.
         *
         * @param interval silence before a PING; zero or positive, and below {@code timeout} unless zero
         * @param timeout  silence before the connection is dropped; positive
         * @return this builder
         * @throws IllegalArgumentException if the interval is negative, or not below a positive timeout
         */
        public Builder ping(Duration interval, Duration timeout) {
            Objects.requireNonNull(interval, "interval");
            positive(timeout, "pingTimeout");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("ping interval must not be negative, got " + interval);
            }
            if (!interval.isZero() && interval.compareTo(timeout) >= 0) {
                throw new IllegalArgumentException("ping interval " + interval + " must be below the ping timeout "
                        + timeout);
            }
            this.pingInterval = interval;
            this.pingTimeout = timeout;
            return this;
        }

        /**
         * Reconnects after an unexpected disconnect (and retries the first connect) with this policy;
         * {@code null} (the default): never. Calls pending at the disconnect fail; they are never resent.
         *
         * @param policy the policy, or {@code null}
         * @return this builder
         */
        public Builder reconnectPolicy(ReconnectPolicy policy) {
            this.reconnectPolicy = policy;
            return this;
        }

        /**
         * Serves the server's calls to this client (GlusterFS callbacks) with {@code service}'s programs; its
         * options' outstanding limit throttles them as it throttles any connection.
         *
         * @param service the service, or {@code null} (the default) to serve none
         * @return this builder
         */
        public Builder callbackService(RpcService service) {
            this.callbackService = service;
            return this;
        }

        /**
         * The first retransmit interval of an unanswered UDP call; see {@link RpcClientOptions#retransmitInterval()}.
         * UDP only; default 1 s.
         *
         * @param interval a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code interval} is zero or negative
         */
        public Builder retransmitInterval(Duration interval) {
            this.retransmitInterval = positive(interval, "retransmitInterval");
            return this;
        }

        /**
         * Prepares every new connection (the first and each reconnect) before the client makes any other call on
         * it; see {@link ConnectionSetup}. {@code null} (the default): none. Streams only.
         *
         * @param setup the setup, or {@code null}
         * @return this builder
         */
        public Builder connectionSetup(ConnectionSetup setup) {
            this.connectionSetup = setup;
            return this;
        }

        /**
         * Secures every call of each client made with these options with a flavor that keeps per-client state:
         * RPCSEC_GSS ({@code GssClient}, from {@code io.ripcord.rpc.auth.gss}). Each {@link RpcClient} gets its own
         * {@link ClientSecurity.Session}, which prepares every connection (after {@link #connectionSetup}, so TLS
         * comes first), supplies the credential of every call and is told when the client closes. It replaces
         * {@link #credential(Credential)}: setting both is an error. {@code null} (the default): none. Streams
         * only: {@link RpcUdpClient} refuses it.
         *
         * @param security the flavor, or {@code null}
         * @return this builder
         */
        public Builder security(ClientSecurity security) {
            this.security = security;
            return this;
        }

        /**
         * Makes the options; the builder can go on to make more.
         *
         * @return immutable options with this builder's settings
         * @throws IllegalArgumentException if both a {@link #credential(Credential) credential} and a
         *                                  {@link #security(ClientSecurity) security flavor} are set
         */
        public RpcClientOptions build() {
            if (security != null && credential != Credential.NONE) {
                throw new IllegalArgumentException("both a credential (" + credential + ") and a security flavor ("
                        + security + ") are set; the security flavor supplies every call's credential");
            }
            return new RpcClientOptions(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }
    }
}
