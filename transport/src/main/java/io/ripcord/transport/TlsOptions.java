package io.ripcord.transport;

import java.util.Objects;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * TLS for a connection: the {@link SSLContext} to make engines from, and where the engine's delegated tasks
 * (certificate checks, key exchange) run so that they never hold a poller.
 */
public final class TlsOptions {

    private final SSLContext context;
    private final String peerHost;
    private final int peerPort;
    private final boolean needClientAuth;
    private final Executor delegatedTaskExecutor;

    private TlsOptions(SSLContext context, String peerHost, int peerPort, boolean needClientAuth,
                       Executor delegatedTaskExecutor) {
        this.context = context;
        this.peerHost = peerHost;
        this.peerPort = peerPort;
        this.needClientAuth = needClientAuth;
        this.delegatedTaskExecutor = delegatedTaskExecutor;
    }

    /** Server side TLS from {@code context}; delegated tasks run on the common fork-join pool. */
    public static TlsOptions server(SSLContext context) {
        return new TlsOptions(Objects.requireNonNull(context, "context"), null, -1, false, null);
    }

    /** Client side TLS; {@code peerHost} is used for SNI and endpoint identification (may be null). */
    public static TlsOptions client(SSLContext context, String peerHost, int peerPort) {
        return new TlsOptions(Objects.requireNonNull(context, "context"), peerHost, peerPort, false, null);
    }

    /** The same options with client certificates required (server side). */
    public TlsOptions needClientAuth(boolean on) {
        return new TlsOptions(context, peerHost, peerPort, on, delegatedTaskExecutor);
    }

    /** The same options with delegated tasks run on {@code executor}. */
    public TlsOptions delegatedTaskExecutor(Executor executor) {
        return new TlsOptions(context, peerHost, peerPort, needClientAuth, Objects.requireNonNull(executor));
    }

    public boolean isClient() {
        return peerPort >= 0 || peerHost != null;
    }

    public Executor delegatedTaskExecutor() {
        return delegatedTaskExecutor;
    }

    SSLEngine newEngine(boolean clientMode) {
        SSLEngine engine = peerHost != null ? context.createSSLEngine(peerHost, peerPort) : context.createSSLEngine();
        engine.setUseClientMode(clientMode);
        if (!clientMode && needClientAuth) {
            engine.setNeedClientAuth(true);
        }
        return engine;
    }
}
