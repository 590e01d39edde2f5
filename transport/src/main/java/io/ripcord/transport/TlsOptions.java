package io.ripcord.transport;

import java.time.Duration;
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
 * {@link Connector}; either refuses the other kind.
 *
 * <p>Thread rules: immutable, so usable from any thread.
 */
public final class TlsOptions {

    /** The handshake timeout when none is set: Netty's {@code SslHandler} default. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final SSLContext context;
    private final boolean client;
    private final String peerHost;
    private final int peerPort;
    private final boolean needClientAuth;
    private final boolean verifyHostname;
    private final Duration handshakeTimeout;
    private final Executor delegatedTaskExecutor;

    private TlsOptions(SSLContext context, boolean client, String peerHost, int peerPort, boolean needClientAuth,
                       boolean verifyHostname, Duration handshakeTimeout, Executor delegatedTaskExecutor) {
        this.context = context;
        this.client = client;
        this.peerHost = peerHost;
        this.peerPort = peerPort;
        this.needClientAuth = needClientAuth;
        this.verifyHostname = verifyHostname;
        this.handshakeTimeout = handshakeTimeout;
        this.delegatedTaskExecutor = delegatedTaskExecutor;
    }

    /** Server side TLS from {@code context} (which must hold a key manager). */
    public static TlsOptions server(SSLContext context) {
        return new TlsOptions(Objects.requireNonNull(context, "context"), false, null, -1, false, false,
                DEFAULT_HANDSHAKE_TIMEOUT, null);
    }

    /**
     * Client side TLS from {@code context}.
     *
     * @param peerHost the server's name, sent as SNI and, unless {@link #verifyHostname(boolean)} turns it off,
     *                 checked against the server's certificate; {@code null} for neither
     * @param peerPort the server's port (a hint for session resumption), or -1
     */
    public static TlsOptions client(SSLContext context, String peerHost, int peerPort) {
        Objects.requireNonNull(context, "context");
        if (peerPort < -1 || peerPort > 65535) {
            throw new IllegalArgumentException("peerPort must be within [0, 65535], or -1, got " + peerPort);
        }
        return new TlsOptions(context, true, peerHost, peerPort, false, peerHost != null,
                DEFAULT_HANDSHAKE_TIMEOUT, null);
    }

    /** The same options with client certificates required; server side only. */
    public TlsOptions needClientAuth(boolean on) {
        if (client && on) {
            throw new IllegalStateException("needClientAuth is a server option; these are client options");
        }
        return new TlsOptions(context, client, peerHost, peerPort, on, verifyHostname, handshakeTimeout,
                delegatedTaskExecutor);
    }

    /**
     * The same options with (or without) the server's certificate checked against the peer host name
     * (endpoint identification algorithm {@code HTTPS}, RFC 2818); client side only, on by default when a
     * peer host is given.
     */
    public TlsOptions verifyHostname(boolean on) {
        if (on && (!client || peerHost == null)) {
            throw new IllegalStateException("verifyHostname needs client options with a peer host");
        }
        return new TlsOptions(context, client, peerHost, peerPort, needClientAuth, on, handshakeTimeout,
                delegatedTaskExecutor);
    }

    /**
     * The same options with a limit on the handshake: a connection whose handshake is not done in time is
     * closed with cause {@link DisconnectCause#TIMEOUT}. Zero disables it.
     */
    public TlsOptions handshakeTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("handshakeTimeout must not be negative, got " + timeout);
        }
        return new TlsOptions(context, client, peerHost, peerPort, needClientAuth, verifyHostname, timeout,
                delegatedTaskExecutor);
    }

    /**
     * The same options with delegated tasks run on {@code executor}. It must not run them on the calling
     * thread: that is a poller.
     */
    public TlsOptions delegatedTaskExecutor(Executor executor) {
        return new TlsOptions(context, client, peerHost, peerPort, needClientAuth, verifyHostname,
                handshakeTimeout, Objects.requireNonNull(executor, "executor"));
    }

    /** Whether these are client side options ({@link #client}); otherwise server side ({@link #server}). */
    public boolean isClient() {
        return client;
    }

    public SSLContext context() {
        return context;
    }

    /** The peer host given to {@link #client}, or {@code null}. */
    public String peerHost() {
        return peerHost;
    }

    public int peerPort() {
        return peerPort;
    }

    public boolean needClientAuth() {
        return needClientAuth;
    }

    public boolean verifyHostname() {
        return verifyHostname;
    }

    /** Zero when disabled. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** Where delegated tasks run: the executor set, or else {@link ForkJoinPool#commonPool()}. */
    public Executor delegatedTaskExecutor() {
        return delegatedTaskExecutor != null ? delegatedTaskExecutor : ForkJoinPool.commonPool();
    }

    /** A new engine for one connection, in client mode on the connecting side, server mode on the accepting. */
    SSLEngine newEngine(boolean clientMode) {
        SSLEngine engine = peerHost != null && clientMode
                ? context.createSSLEngine(peerHost, peerPort) : context.createSSLEngine();
        engine.setUseClientMode(clientMode);
        if (clientMode) {
            if (verifyHostname) {
                SSLParameters p = engine.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                engine.setSSLParameters(p);
            }
        } else if (needClientAuth) {
            engine.setNeedClientAuth(true);
        }
        return engine;
    }

    @Override
    public String toString() {
        return "TlsOptions[" + (client ? "client, peer " + peerHost + ":" + peerPort : "server")
                + ", handshakeTimeout " + handshakeTimeout + "]";
    }
}
