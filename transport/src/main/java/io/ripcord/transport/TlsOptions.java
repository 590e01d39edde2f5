package io.ripcord.transport;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * TLS for a connection: the {@link SSLContext} to make engines from, which side of the handshake this is, and
 * where the engine's delegated tasks (certificate checks, key exchange) run so that they never hold a poller.
 * Immutable: every {@code with}-style method returns a new instance.
 *
 * <p>The side is explicit: {@link #server} options go to a {@link Listener}, {@link #client} options to a
 * {@link Connector}; either refuses the other kind. {@link Transport#startTls} takes either, and its side is the
 * side it starts on that connection.
 *
 * <p>Application protocols (ALPN, RFC 7301) and protocol versions are optional. With application protocols
 * set, the handshake fails unless one of them is agreed: a peer that offers none fails as one that offers others
 * (RFC 9289, RPC-with-TLS, requires {@code "sunrpc"} this way; RFC 7301 itself would let a server go on).
 *
 * <p>Thread rules: immutable, so usable from any thread.
 */
public final class TlsOptions {

    /** The handshake timeout when none is set: Netty's {@code SslHandler} default. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /** Whether a server asks for the client's certificate (RFC 8446 section 4.3.2). */
    public enum ClientAuth {
        /** No certificate is asked for. */
        NONE,
        /** A certificate is asked for; a client that sends none still connects (its session has no peer chain). */
        WANT,
        /** A certificate is required: a client that sends none fails the handshake. */
        NEED
    }

    private final SSLContext context;
    private final boolean client;
    private final String peerHost;
    private final int peerPort;
    private final ClientAuth clientAuth;
    private final boolean verifyHostname;
    private final Duration handshakeTimeout;
    private final Executor delegatedTaskExecutor;
    private final List<String> protocols;
    private final List<String> applicationProtocols;

    private TlsOptions(SSLContext context, boolean client, String peerHost, int peerPort, ClientAuth clientAuth,
                       boolean verifyHostname, Duration handshakeTimeout, Executor delegatedTaskExecutor,
                       List<String> protocols, List<String> applicationProtocols) {
        this.context = context;
        this.client = client;
        this.peerHost = peerHost;
        this.peerPort = peerPort;
        this.clientAuth = clientAuth;
        this.verifyHostname = verifyHostname;
        this.handshakeTimeout = handshakeTimeout;
        this.delegatedTaskExecutor = delegatedTaskExecutor;
        this.protocols = protocols;
        this.applicationProtocols = applicationProtocols;
    }

    /**
     * Server side TLS, for a {@link Listener} or a server's {@link Transport#startTls}.
     *
     * @param context makes the engines; it must hold a key manager with the server's certificate and key, and a
     *     trust manager if client certificates are asked for
     * @return options with no client certificate asked for, the default handshake timeout, the context's
     *     protocol versions and no ALPN
     */
    public static TlsOptions server(SSLContext context) {
        return new TlsOptions(Objects.requireNonNull(context, "context"), false, null, -1, ClientAuth.NONE, false,
                DEFAULT_HANDSHAKE_TIMEOUT, null, List.of(), List.of());
    }

    /**
     * Client side TLS from {@code context}.
     *
     * @param context makes the engines; its trust manager decides which server certificates are accepted
     * @param peerHost the server's name, sent as SNI and, unless {@link #verifyHostname(boolean)} turns it off,
     *                 checked against the server's certificate; {@code null} for neither
     * @param peerPort the server's port (a hint for session resumption), or -1
     * @return options with host name verification on when {@code peerHost} is given, the default handshake
     *     timeout, the context's protocol versions and no ALPN
     * @throws IllegalArgumentException if {@code peerPort} is not a port number nor -1
     */
    public static TlsOptions client(SSLContext context, String peerHost, int peerPort) {
        Objects.requireNonNull(context, "context");
        if (peerPort < -1 || peerPort > 65535) {
            throw new IllegalArgumentException("peerPort must be within [0, 65535], or -1, got " + peerPort);
        }
        return new TlsOptions(context, true, peerHost, peerPort, ClientAuth.NONE, peerHost != null,
                DEFAULT_HANDSHAKE_TIMEOUT, null, List.of(), List.of());
    }

    private TlsOptions with(ClientAuth auth, boolean verify, Duration timeout, Executor executor,
                            List<String> versions, List<String> alpn) {
        return new TlsOptions(context, client, peerHost, peerPort, auth, verify, timeout, executor, versions, alpn);
    }

    /**
     * The same options with client certificates required or not asked for; server side only.
     *
     * @param on {@code true} for {@link ClientAuth#NEED}, {@code false} for {@link ClientAuth#NONE} (not
     *     {@link ClientAuth#WANT}, even if that was set)
     * @return new options; these stay as they are
     * @throws IllegalStateException if {@code on} and these are client options
     */
    public TlsOptions needClientAuth(boolean on) {
        return clientAuth(on ? ClientAuth.NEED : ClientAuth.NONE);
    }

    /**
     * The same options asking for client certificates as {@code mode} says; server side only.
     *
     * @param mode whether a client certificate is not asked for, wanted or required
     * @return new options; these stay as they are
     * @throws IllegalStateException if {@code mode} is not {@link ClientAuth#NONE} and these are client options
     */
    public TlsOptions clientAuth(ClientAuth mode) {
        Objects.requireNonNull(mode, "mode");
        if (client && mode != ClientAuth.NONE) {
            throw new IllegalStateException("clientAuth is a server option; these are client options");
        }
        return with(mode, verifyHostname, handshakeTimeout, delegatedTaskExecutor, protocols, applicationProtocols);
    }

    /**
     * The same options with only these protocol versions enabled (names as the JDK spells them, e.g.
     * {@code "TLSv1.3"}); none given: the context's defaults.
     *
     * @param versions the versions to enable
     * @return new options; these stay as they are
     * @throws IllegalArgumentException if a name is not supported by the context
     */
    public TlsOptions protocols(String... versions) {
        List<String> v = List.of(versions);
        List<String> supported = List.of(context.getSupportedSSLParameters().getProtocols());
        for (String name : v) {
            if (!supported.contains(name)) {
                throw new IllegalArgumentException("protocol " + name + " is not supported here; supported: "
                        + supported);
            }
        }
        return with(clientAuth, verifyHostname, handshakeTimeout, delegatedTaskExecutor, v, applicationProtocols);
    }

    /**
     * The same options negotiating one of these application protocols (ALPN, RFC 7301), in order of preference;
     * the handshake fails unless one is agreed. None given: no ALPN.
     *
     * @param names the protocol names, such as {@code "sunrpc"} for RPC-with-TLS (RFC 9289)
     * @return new options; these stay as they are
     * @throws IllegalArgumentException if a name is empty or longer than 255 bytes (RFC 7301 section 3.1)
     */
    public TlsOptions applicationProtocols(String... names) {
        List<String> v = List.of(names);
        for (String name : v) {
            int bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes == 0 || bytes > 255) {
                throw new IllegalArgumentException("an application protocol name takes 1 to 255 bytes "
                        + "(RFC 7301 section 3.1), got " + bytes + ": '" + name + "'");
            }
        }
        return with(clientAuth, verifyHostname, handshakeTimeout, delegatedTaskExecutor, protocols, v);
    }

    /**
     * The same options with (or without) the server's certificate checked against the peer host name
     * (endpoint identification algorithm {@code HTTPS}, RFC 2818); client side only, on by default when a
     * peer host is given.
     *
     * @param on whether to check the server's certificate against the peer host
     * @return new options; these stay as they are
     * @throws IllegalStateException if {@code on} and these are server options or have no peer host
     */
    public TlsOptions verifyHostname(boolean on) {
        if (on && (!client || peerHost == null)) {
            throw new IllegalStateException("verifyHostname needs client options with a peer host");
        }
        return with(clientAuth, on, handshakeTimeout, delegatedTaskExecutor, protocols, applicationProtocols);
    }

    /**
     * The same options with a limit on the handshake: a connection whose handshake is not done in time is
     * closed with cause {@link DisconnectCause#TIMEOUT} (a client's connect fails instead, with an
     * {@link javax.net.ssl.SSLHandshakeException}). Zero disables it.
     *
     * @param timeout the limit, on the pool's clock, from the start of the handshake; default
     *     {@link #DEFAULT_HANDSHAKE_TIMEOUT}
     * @return new options; these stay as they are
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public TlsOptions handshakeTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("handshakeTimeout must not be negative, got " + timeout);
        }
        return with(clientAuth, verifyHostname, timeout, delegatedTaskExecutor, protocols, applicationProtocols);
    }

    /**
     * The same options with delegated tasks run on {@code executor}. It must not run them on the calling
     * thread: that is a poller.
     *
     * @param executor runs the engine's delegated tasks; the default is {@link ForkJoinPool#commonPool()}
     * @return new options; these stay as they are
     */
    public TlsOptions delegatedTaskExecutor(Executor executor) {
        return with(clientAuth, verifyHostname, handshakeTimeout, Objects.requireNonNull(executor, "executor"),
                protocols, applicationProtocols);
    }

    /**
     * Which side of the handshake these options are for.
     *
     * @return {@code true} for client options ({@link #client}), {@code false} for server options
     *     ({@link #server})
     */
    public boolean isClient() {
        return client;
    }

    /**
     * Where the engines come from.
     *
     * @return the context given to {@link #server} or {@link #client}
     */
    public SSLContext context() {
        return context;
    }

    /**
     * The server's name, for SNI and host name verification.
     *
     * @return the peer host given to {@link #client}, or {@code null} (always for server options)
     */
    public String peerHost() {
        return peerHost;
    }

    /**
     * The server's port, a hint for session resumption.
     *
     * @return the peer port given to {@link #client}, or -1 (always for server options)
     */
    public int peerPort() {
        return peerPort;
    }

    /**
     * Whether a client must present a certificate.
     *
     * @return {@code true} only for {@link ClientAuth#NEED}
     */
    public boolean needClientAuth() {
        return clientAuth == ClientAuth.NEED;
    }

    /**
     * Whether a server asks for the client's certificate.
     *
     * @return the mode; always {@link ClientAuth#NONE} for client options
     */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /**
     * The TLS versions the engines may use.
     *
     * @return the versions enabled, unmodifiable; empty for the context's defaults
     */
    public List<String> protocols() {
        return protocols;
    }

    /**
     * The application protocols (ALPN) one of which the handshake must agree on.
     *
     * @return the names in order of preference, unmodifiable; empty for no ALPN
     */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /**
     * Whether a client checks the server's certificate against {@link #peerHost()}.
     *
     * @return {@code true} if host name verification is on; always {@code false} for server options
     */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /**
     * How long a handshake may take.
     *
     * @return the limit on the pool's clock; zero when disabled
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * Where the engine's delegated tasks run.
     *
     * @return the executor set, or else {@link ForkJoinPool#commonPool()}
     */
    public Executor delegatedTaskExecutor() {
        return delegatedTaskExecutor != null ? delegatedTaskExecutor : ForkJoinPool.commonPool();
    }

    /** A new engine for one connection, in client mode on the connecting side, server mode on the accepting. */
    SSLEngine newEngine(boolean clientMode) {
        SSLEngine engine = peerHost != null && clientMode
                ? context.createSSLEngine(peerHost, peerPort) : context.createSSLEngine();
        engine.setUseClientMode(clientMode);
        SSLParameters p = engine.getSSLParameters();
        if (clientMode && verifyHostname) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!clientMode && clientAuth == ClientAuth.NEED) {
            p.setNeedClientAuth(true);
        } else if (!clientMode && clientAuth == ClientAuth.WANT) {
            p.setWantClientAuth(true);
        }
        if (!protocols.isEmpty()) {
            p.setProtocols(protocols.toArray(new String[0]));
        }
        if (!applicationProtocols.isEmpty()) {
            p.setApplicationProtocols(applicationProtocols.toArray(new String[0]));
        }
        engine.setSSLParameters(p);
        return engine;
    }

    @Override
    public String toString() {
        return "TlsOptions[" + (client ? "client, peer " + peerHost + ":" + peerPort : "server, " + clientAuth)
                + (protocols.isEmpty() ? "" : ", " + protocols)
                + (applicationProtocols.isEmpty() ? "" : ", ALPN " + applicationProtocols)
                + ", handshakeTimeout " + handshakeTimeout + "]";
    }
}
