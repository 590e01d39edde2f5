package io.ripcord.rpc.tls;

import io.ripcord.rpc.client.RpcException;

/**
 * An {@link RpcTlsClient} could not set up RPC-with-TLS on a connection (RFC 9289): the server does not offer it
 * ({@link #isOffered()} false: it answered the AUTH_TLS probe with AUTH_ERROR, or without the STARTTLS verifier),
 * or it offered it and the TLS handshake failed (the cause is the {@link javax.net.ssl.SSLException}). RFC 9289
 * section 4.1 asks clients to report a failed handshake the way they report an AUTH_ERROR: as a failed call, here a
 * failed connect.
 */
public final class RpcTlsException extends RpcException {
    private static final long serialVersionUID = 1L;

    /** Whether the server answered the probe with STARTTLS. */
    private final boolean offered;

    RpcTlsException(String message, boolean offered, Throwable cause) {
        super(message, cause);
        this.offered = offered;
    }

    /**
     * Whether the server offered RPC-with-TLS.
     *
     * @return {@code true} if the server answered the probe with STARTTLS and the handshake then failed,
     *         {@code false} if the server does not offer it (or the client had no server name to verify)
     */
    public boolean isOffered() {
        return offered;
    }
}
