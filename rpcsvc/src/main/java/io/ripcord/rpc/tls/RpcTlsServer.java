package io.ripcord.rpc.tls;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.CallHeader;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.RpcServiceOptions;
import io.ripcord.rpc.auth.AuthException;
import io.ripcord.rpc.auth.Authenticator;
import io.ripcord.rpc.auth.CallProtection;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.TlsOptions;
import io.ripcord.transport.Transport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of RPC-with-TLS (RFC 9289): the AUTH_TLS flavor's authenticator. Register it for
 * {@link AuthFlavor#AUTH_TLS} ({@link #register}); then a client's probe, a NULL call with an AUTH_TLS credential,
 * is answered with the {@code STARTTLS} verifier and TLS 1.3 with ALPN {@code sunrpc} starts on the same
 * connection, right after that reply.
 *
 * <pre>{@code
 * RpcTlsServer tls = RpcTlsServer.builder(sslContext)
 *         .clientAuth(TlsOptions.ClientAuth.WANT)
 *         .userMapper(CertificateUserMapper.subjectCommonName())
 *         .build();
 * RpcService service = RpcService.create(tls.register(RpcServiceOptions.builder()).build());
 * service.register(RpcProgram.builder(PROG, 1, "P").security(RpcTlsPolicy.TLS_REQUIRED) ... .build());
 * }</pre>
 *
 * <h2>What each AUTH_TLS call gets</h2>
 * <table>
 * <caption>answers (RFC 9289 section 4.1)</caption>
 * <tr><th>call</th><th>answer</th></tr>
 * <tr><td>NULL, empty credential, empty AUTH_NONE verifier, on a plaintext connection TLS is offered on</td>
 * <td>MSG_ACCEPTED SUCCESS with the verifier AUTH_NONE {@code "STARTTLS"}; then the TLS handshake. Bytes the client
 * sent behind the probe are TLS records: plaintext there fails the handshake and closes the connection, and nothing
 * of it is served</td></tr>
 * <tr><td>the same probe where TLS is not offered (UDP, which would need DTLS; a connection the
 * {@linkplain Builder#offeredOn offer predicate} leaves out, by default a Unix socket)</td><td>MSG_ACCEPTED SUCCESS
 * with an empty AUTH_NONE verifier: "recognized, but no TLS here"; the client must not start TLS</td></tr>
 * <tr><td>AUTH_TLS on any procedure but NULL, with a credential body, or on a connection that already runs TLS</td>
 * <td>MSG_DENIED AUTH_ERROR AUTH_BADCRED</td></tr>
 * <tr><td>a probe whose verifier is not an empty AUTH_NONE</td><td>MSG_DENIED AUTH_ERROR AUTH_BADVERF</td></tr>
 * </table>
 * A service with no authenticator for flavor 7 answers every AUTH_TLS call AUTH_ERROR AUTH_BADCRED, which RFC 9289
 * tells clients to read as "this server does not know RPC-with-TLS".
 *
 * <p>The probe is answered here, before the program is looked up: it asks about the connection, not a program, so
 * it gets SUCCESS for any program number and no program's {@link io.ripcord.rpc.SecurityPolicy} can refuse it.
 *
 * <p>After the handshake the client's verified chain and the user mapped from it become the connection's
 * {@link TlsIdentity} ({@link RpcCall#connectionIdentity()}, {@link io.ripcord.rpc.RpcProgramListener#onIdentified}),
 * before any call that came over TLS is dispatched. A handshake that fails or times out closes the connection
 * (DISCONNECT cause PROTOCOL or TIMEOUT), as does a certificate the {@link CertificateUserMapper} refuses.
 *
 * <p>Threads: immutable; {@link #authenticate(CallHeader, RpcCall)} runs on connections' pollers, concurrently.
 */
public final class RpcTlsServer implements Authenticator {

    private static final Logger log = LoggerFactory.getLogger(RpcTlsServer.class);

    /** Accepted replies to a probe carry the STARTTLS verifier; nothing else about the call is protected. */
    private static final CallProtection STARTTLS_VERIFIER = new CallProtection() {
        @Override
        public void writeVerifier(RpcCall call, XdrEncoder out) {
            RpcTls.writeStartTlsVerifier(out);
        }

        @Override
        public String toString() {
            return "STARTTLS verifier";
        }
    };

    private final TlsOptions tls;
    private final CertificateUserMapper mapper;
    private final Predicate<Transport> offeredOn;

    private RpcTlsServer(Builder b) {
        RpcTls.requireTls13(b.context);
        TlsOptions o = TlsOptions.server(b.context)
                .clientAuth(b.clientAuth)
                .protocols(RpcTls.TLS_1_3)
                .applicationProtocols(RpcTls.ALPN)
                .handshakeTimeout(b.handshakeTimeout);
        this.tls = b.delegatedTaskExecutor != null ? o.delegatedTaskExecutor(b.delegatedTaskExecutor) : o;
        this.mapper = b.mapper;
        this.offeredOn = b.offeredOn;
    }

    /**
     * Starts a server side of RPC-with-TLS: client certificates wanted, a 10 s handshake timeout, no user mapped,
     * TLS offered on TCP connections.
     *
     * @param context the server's key (its certificate chain) and, for client certificates, the trust managers that
     *                verify them; it must support TLS 1.3 (checked by {@link Builder#build()})
     * @return a new builder
     * @throws NullPointerException if {@code context} is null
     */
    public static Builder builder(SSLContext context) {
        return new Builder(Objects.requireNonNull(context, "context"));
    }

    /**
     * Adds this server to {@code options} as the authenticator of {@link AuthFlavor#AUTH_TLS}.
     *
     * @param options the service's options being built
     * @return {@code options}, to go on building
     */
    public RpcServiceOptions.Builder register(RpcServiceOptions.Builder options) {
        return options.authenticator(AuthFlavor.AUTH_TLS, this);
    }

    /**
     * The TLS options each upgraded connection gets.
     *
     * @return server side options: TLS 1.3 only, ALPN {@code sunrpc}, the builder's client authentication,
     *         handshake timeout and delegated task executor
     */
    public TlsOptions tlsOptions() {
        return tls;
    }

    /** Never called: AUTH_TLS needs the whole call ({@link #authenticate(CallHeader, RpcCall)}). */
    @Override
    public Object authenticate(ByteBuffer body) throws AuthException {
        throw new AuthException(AuthStat.AUTH_BADCRED, "AUTH_TLS is checked with its call");
    }

    /** Answers a probe (and starts TLS), or refuses the call; see the class's table. Always returns {@code null}. */
    @Override
    public Object authenticate(CallHeader header, RpcCall call) throws AuthException {
        if (header.procedure() != 0) {
            throw new AuthException(AuthStat.AUTH_BADCRED, "AUTH_TLS on procedure " + header.procedure()
                    + ": only the NULL procedure may probe (RFC 9289 section 4.1)");
        }
        if (header.credentialBody().hasRemaining()) {
            throw new AuthException(AuthStat.AUTH_BADCRED, "AUTH_TLS probe with a " + header.credentialBody().remaining()
                    + "-byte credential; it must be empty (RFC 9289 section 4.1)");
        }
        if (header.defect() == CallHeader.Defect.VERIFIER || header.verifierFlavor() != AuthFlavor.AUTH_NONE
                || header.verifierBody().hasRemaining()) {
            throw new AuthException(AuthStat.AUTH_BADVERF, "AUTH_TLS probe whose verifier is not an empty AUTH_NONE "
                    + "(RFC 9289 section 4.1)");
        }
        Transport t = call.transport();
        if (t != null && t.tlsSession() != null) {
            throw new AuthException(AuthStat.AUTH_BADCRED, "AUTH_TLS probe within a TLS session (RFC 9289 section 4.1)");
        }
        if (t == null || !offeredOn.test(t)) {
            log.debug("{}: AUTH_TLS probe where TLS is not offered; answered without STARTTLS", call);
            call.replyVoid();
            return null;
        }
        call.protect(STARTTLS_VERIFIER);
        call.replyVoid(); // in the clear, before the switch: the transport writes what was sent before it first
        t.startTls(tls).whenComplete((upgraded, failure) -> {
            if (failure != null) {
                log.debug("{}: RPC-with-TLS handshake failed: {}", t, failure.toString());
                t.abort(); // closed already when the handshake failed; if TLS never started, nothing goes on in clear
            } else {
                identify(call, upgraded);
            }
        });
        return null;
    }

    /** On the poller, inside the handshake's end: before any call that came over TLS is read. */
    private void identify(RpcCall probe, Transport t) {
        TlsIdentity identity;
        try {
            identity = TlsIdentity.from(t.tlsSession(), mapper);
        } catch (CertificateException | RuntimeException e) {
            log.info("{}: client certificate refused: {}; closing", t, e.toString());
            t.abort();
            return;
        }
        log.debug("{}: RPC-with-TLS established: {}", t, identity);
        probe.identifyConnection(identity);
    }

    @Override
    public String toString() {
        return "RpcTlsServer[" + tls + "]";
    }

    /** A builder of {@link RpcTlsServer}; not thread-safe. */
    public static final class Builder {
        private final SSLContext context;
        private TlsOptions.ClientAuth clientAuth = TlsOptions.ClientAuth.WANT;
        private Duration handshakeTimeout = TlsOptions.DEFAULT_HANDSHAKE_TIMEOUT;
        private Executor delegatedTaskExecutor;
        private CertificateUserMapper mapper = CertificateUserMapper.NONE;
        private Predicate<Transport> offeredOn = t -> t.remoteAddress() instanceof InetSocketAddress;

        private Builder(SSLContext context) {
            this.context = context;
        }

        /**
         * Whether to ask clients for a certificate: {@link TlsOptions.ClientAuth#WANT} by default (RFC 9289
         * section 4.2: a server "MUST request a TLS peer identity from each client"; one that sends none still
         * connects, and {@link RpcTlsPolicy#MUTUAL_TLS_REQUIRED} keeps it from the programs that need one),
         * {@link TlsOptions.ClientAuth#NEED} to refuse such clients in the handshake, or NONE.
         *
         * @param mode the client authentication; not {@code null}
         * @return this builder
         */
        public Builder clientAuth(TlsOptions.ClientAuth mode) {
            this.clientAuth = Objects.requireNonNull(mode, "clientAuth");
            return this;
        }

        /**
         * A handshake not done in time closes the connection (cause TIMEOUT); default 10 s.
         *
         * @param timeout zero (no limit) or positive
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is negative
         * @throws NullPointerException     if {@code timeout} is null
         */
        public Builder handshakeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "handshakeTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("handshakeTimeout must not be negative, got " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * Where the TLS engines' delegated tasks (certificate checks, key exchange) run, off the pollers; default
         * the transport's (the common pool).
         *
         * @param executor the executor; not {@code null}
         * @return this builder
         */
        public Builder delegatedTaskExecutor(Executor executor) {
            this.delegatedTaskExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Maps a client's certificate to its {@link TlsIdentity#user()}; default {@link CertificateUserMapper#NONE}:
         * no user. A certificate the mapper refuses closes the connection.
         *
         * @param mapper the mapper, called on the poller at the handshake's end; not {@code null}
         * @return this builder
         */
        public Builder userMapper(CertificateUserMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /**
         * The connections TLS is offered on; a probe on others is answered without STARTTLS. Default: TCP
         * connections (RFC 9289 covers TCP, and UDP with DTLS, which this does not do; not Unix sockets). Test the
         * {@link Transport#localAddress()} to offer TLS on some listeners of a service only. Called on the poller.
         *
         * @param connections true for the connections TLS is offered on; not {@code null}
         * @return this builder
         */
        public Builder offeredOn(Predicate<Transport> connections) {
            this.offeredOn = Objects.requireNonNull(connections, "offeredOn");
            return this;
        }

        /**
         * Makes the server side; the builder can go on to make more.
         *
         * @return an immutable authenticator to {@link RpcTlsServer#register register}
         * @throws IllegalArgumentException if the context does not support TLS 1.3
         */
        public RpcTlsServer build() {
            return new RpcTlsServer(this);
        }
    }
}
