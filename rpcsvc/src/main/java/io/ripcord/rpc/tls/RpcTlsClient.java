package io.ripcord.rpc.tls;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.GfDump;
import io.ripcord.rpc.ReplyHeader;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.client.AuthErrorException;
import io.ripcord.rpc.client.CallOptions;
import io.ripcord.rpc.client.CallSigner;
import io.ripcord.rpc.client.ConnectionSetup;
import io.ripcord.rpc.client.Credential;
import io.ripcord.rpc.client.GarbageArgsException;
import io.ripcord.rpc.client.ProcedureUnavailableException;
import io.ripcord.rpc.client.ProgramMismatchException;
import io.ripcord.rpc.client.ProgramUnavailableException;
import io.ripcord.rpc.client.RpcCaller;
import io.ripcord.rpc.client.RpcException;
import io.ripcord.rpc.client.SystemErrorException;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.TlsOptions;
import io.ripcord.transport.Transport;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of RPC-with-TLS (RFC 9289): a {@link ConnectionSetup} that probes each new connection of an
 * {@link io.ripcord.rpc.client.RpcClient}, the first and every reconnect, with a NULL call carrying the AUTH_TLS
 * flavor, checks that the server answered with the {@code STARTTLS} verifier, and runs the TLS 1.3 handshake with
 * ALPN {@code sunrpc} on the same connection before the client makes any call of its own.
 *
 * <pre>{@code
 * RpcClient client = RpcClient.connect(pool, address, RpcClientOptions.builder()
 *         .connectionSetup(RpcTlsClient.builder(sslContext).build())      // TLS required
 *         .build()).get();
 * }</pre>
 *
 * <p><b>Policies.</b> {@link Mode#REQUIRE} (the default) fails the connect with an {@link RpcTlsException} when
 * the server does not offer TLS (it answers the probe with AUTH_ERROR, as a server that does not know AUTH_TLS does,
 * or without the STARTTLS verifier) or when the handshake fails. {@link Mode#OPPORTUNISTIC} goes on in plaintext
 * when the server does not offer TLS, and fails only when it offered TLS and the handshake then failed (the
 * connection cannot go back to plaintext once a handshake started).
 *
 * <p><b>Whom it trusts.</b> The server's certificate is verified by {@code context}'s trust managers and, by
 * default, against the name the client connected to ({@link InetSocketAddress#getHostString()}: the host name or
 * IP literal given, never a reverse lookup), as HTTPS does (RFC 2818; RFC 9289 section 5.2.1).
 * {@link Builder#serverName} names another; {@link Builder#verifyHostname} {@code false} turns the check off. For
 * mutual TLS, {@code context}'s key managers present the client's certificate when the server asks.
 *
 * <p><b>The probe's program.</b> The probe is NULL of {@link Builder#probe(int, int)}'s program (GF-DUMP version 1
 * unless set). A Ripcord server answers it for any program; other servers may want one they serve. A server that
 * answers the probe with an accept_stat other than SUCCESS (PROG_UNAVAIL...) is taken not to offer TLS: its
 * verifier is not read (RFC 9289 says a client SHOULD go on with TLS then, if the verifier is STARTTLS).
 *
 * <p>Threads: immutable; {@link #prepare} runs on the connection's poller and does not block.
 */
public final class RpcTlsClient implements ConnectionSetup {

    private static final Logger log = LoggerFactory.getLogger(RpcTlsClient.class);

    /** What to do when a server does not offer RPC-with-TLS. */
    public enum Mode {
        /** Fail the connect: every call must go over TLS. */
        REQUIRE,
        /** Go on in plaintext (RFC 9289's opportunistic use; RFC 7435). */
        OPPORTUNISTIC
    }

    /**
     * The probe's credential and verifier (RFC 9289 section 4.1): flavor AUTH_TLS with an empty body, an empty
     * AUTH_NONE verifier; and the reply's verifier must be AUTH_NONE {@code "STARTTLS"}.
     */
    private static final CallSigner PROBE = new CallSigner() {
        @Override
        public Object writeAuth(XdrEncoder out, int headerStart, int xid) {
            out.writeInt(AuthFlavor.AUTH_TLS);
            out.writeInt(0);
            out.writeInt(AuthFlavor.AUTH_NONE);
            out.writeInt(0);
            return null;
        }

        @Override
        public ByteBuffer acceptReply(ReplyHeader reply, ByteBuffer results, Object call) throws RpcException {
            if (!RpcTls.isStartTls(reply.verifierFlavor(), reply.verifierBody())) {
                throw new RpcTlsException("the server accepted the AUTH_TLS probe without the STARTTLS verifier: "
                        + "it does not offer RPC-with-TLS on this connection", false, null);
            }
            return results;
        }

        @Override
        public String toString() {
            return "AUTH_TLS probe";
        }
    };
    private static final CallOptions PROBE_CALL = CallOptions.builder()
            .credential(Credential.signedBy(AuthFlavor.AUTH_TLS, PROBE)).build();

    private final SSLContext context;
    private final Mode mode;
    private final String serverName;
    private final boolean verifyHostname;
    private final int probeProgram;
    private final int probeVersion;
    private final Duration handshakeTimeout;
    private final Executor delegatedTaskExecutor;

    private RpcTlsClient(Builder b) {
        this.context = b.context;
        this.mode = b.mode;
        this.serverName = b.serverName;
        this.verifyHostname = b.verifyHostname;
        this.probeProgram = b.probeProgram;
        this.probeVersion = b.probeVersion;
        this.handshakeTimeout = b.handshakeTimeout;
        this.delegatedTaskExecutor = b.delegatedTaskExecutor;
        RpcTls.requireTls13(context);
    }

    /**
     * Starts a client side of RPC-with-TLS: TLS required, the server's host name verified, the probe on GF-DUMP
     * version 1, a 10 s handshake timeout.
     *
     * @param context trust managers that verify servers' certificates and, for mutual TLS, key managers with the
     *                client's own; it must support TLS 1.3 (checked by {@link Builder#build()})
     * @return a new builder
     * @throws NullPointerException if {@code context} is null
     */
    public static Builder builder(SSLContext context) {
        return new Builder(Objects.requireNonNull(context, "context"));
    }

    /**
     * What a connection does when the server does not offer RPC-with-TLS.
     *
     * @return {@link Mode#REQUIRE} or {@link Mode#OPPORTUNISTIC}
     */
    public Mode mode() {
        return mode;
    }

    /** Probes, then upgrades; see the class. */
    @Override
    public CompletionStage<?> prepare(RpcCaller connection, Transport transport) {
        if (transport.tlsSession() != null) {
            return CompletableFuture.completedFuture(null); // TLS from the first byte: nothing to probe
        }
        TlsOptions tls;
        try {
            tls = tlsOptions(connection.address());
        } catch (RpcTlsException e) {
            return CompletableFuture.failedFuture(e);
        }
        // The probe's reply completes this on the poller, in the connection's onMessage: TLS starts right behind it.
        return connection.call(probeProgram, probeVersion, 0, (XdrEncoder e, Object v) -> { }, null, RpcActor.VOID,
                PROBE_CALL).handle((ok, failure) -> {
                    if (failure == null) {
                        return handshake(transport, tls);
                    }
                    Throwable why = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (!notOffered(why)) {
                        return CompletableFuture.failedFuture(why);
                    }
                    if (mode == Mode.OPPORTUNISTIC) {
                        log.info("{}: the server does not offer RPC-with-TLS ({}); going on in plaintext", transport,
                                why.getMessage());
                        return CompletableFuture.completedFuture(null);
                    }
                    return CompletableFuture.failedFuture(why instanceof RpcTlsException ? why
                            : new RpcTlsException("TLS required, and " + connection.address() + " does not offer "
                                    + "RPC-with-TLS: " + why.getMessage(), false, why));
                }).thenCompose(stage -> stage);
    }

    private static CompletionStage<Object> handshake(Transport transport, TlsOptions tls) {
        return transport.startTls(tls).handle((upgraded, failure) -> {
            if (failure != null) {
                Throwable why = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                throw new CompletionException(new RpcTlsException("the TLS handshake with " + transport.remoteAddress()
                        + " failed after it accepted the AUTH_TLS probe: " + why.getMessage(), true, why));
            }
            return upgraded;
        });
    }

    /** Whether the probe's failure says "no TLS here" (the server answered), rather than that it went wrong. */
    private static boolean notOffered(Throwable why) {
        return why instanceof RpcTlsException || why instanceof AuthErrorException
                || why instanceof ProgramUnavailableException || why instanceof ProgramMismatchException
                || why instanceof ProcedureUnavailableException || why instanceof GarbageArgsException
                || why instanceof SystemErrorException;
    }

    /** The client side of the handshake with the server at {@code address}. */
    TlsOptions tlsOptions(SocketAddress address) throws RpcTlsException {
        String host = serverName;
        int port = -1;
        if (address instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) address;
            host = host != null ? host : inet.getHostString();
            port = inet.getPort();
        }
        if (host == null && verifyHostname) {
            throw new RpcTlsException("no server name to verify the certificate of " + address + " against: set "
                    + "RpcTlsClient.Builder.serverName, or turn verifyHostname off", false, null);
        }
        TlsOptions o = TlsOptions.client(context, host, port)
                .protocols(RpcTls.TLS_1_3)
                .applicationProtocols(RpcTls.ALPN)
                .handshakeTimeout(handshakeTimeout);
        if (!verifyHostname && host != null) {
            o = o.verifyHostname(false);
        }
        return delegatedTaskExecutor != null ? o.delegatedTaskExecutor(delegatedTaskExecutor) : o;
    }

    @Override
    public String toString() {
        return "RpcTlsClient[" + mode + (serverName != null ? ", server name " + serverName : "")
                + (verifyHostname ? "" : ", host name not verified") + "]";
    }

    /** A builder of {@link RpcTlsClient}; not thread-safe. */
    public static final class Builder {
        private final SSLContext context;
        private Mode mode = Mode.REQUIRE;
        private String serverName;
        private boolean verifyHostname = true;
        private int probeProgram = GfDump.PROGRAM;
        private int probeVersion = GfDump.VERSION;
        private Duration handshakeTimeout = TlsOptions.DEFAULT_HANDSHAKE_TIMEOUT;
        private Executor delegatedTaskExecutor;

        private Builder(SSLContext context) {
            this.context = context;
        }

        /**
         * What to do when a server does not offer RPC-with-TLS: {@link Mode#REQUIRE} (the default) fails the
         * connect, {@link Mode#OPPORTUNISTIC} goes on in plaintext.
         *
         * @param mode the mode; not {@code null}
         * @return this builder
         */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * The name the server's certificate must carry (sent as SNI too); default the host the client connects to
         * (needed for a Unix socket, which has none, unless {@link #verifyHostname} is off).
         *
         * @param name a host name; not empty
         * @return this builder
         * @throws NullPointerException     if {@code name} is null
         * @throws IllegalArgumentException if {@code name} is empty
         */
        public Builder serverName(String name) {
            Objects.requireNonNull(name, "serverName");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("serverName must not be empty");
            }
            this.serverName = name;
            return this;
        }

        /**
         * Whether to check the server's certificate against the server name; on by default. Off, any certificate
         * the trust managers accept will do.
         *
         * @param on {@code false} to skip the check
         * @return this builder
         */
        public Builder verifyHostname(boolean on) {
            this.verifyHostname = on;
            return this;
        }

        /**
         * The program and version whose NULL procedure carries the probe; default GF-DUMP version 1.
         *
         * @param program a program number the server knows
         * @param version one of its versions
         * @return this builder
         */
        public Builder probe(int program, int version) {
            this.probeProgram = program;
            this.probeVersion = version;
            return this;
        }

        /**
         * A handshake not done in time fails the connect (the connection closes); default 10 s.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         * @throws NullPointerException     if {@code timeout} is null
         */
        public Builder handshakeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "handshakeTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshakeTimeout must be positive, got " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * Where the TLS engine's delegated tasks (certificate checks, key exchange) run, off the pollers; default
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
         * Makes the client side, to set with {@code RpcClientOptions.Builder.connectionSetup}; the builder can go
         * on to make more.
         *
         * @return an immutable connection setup
         * @throws IllegalArgumentException if the context does not support TLS 1.3
         */
        public RpcTlsClient build() {
            return new RpcTlsClient(this);
        }
    }
}
