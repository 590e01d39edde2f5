package io.ripcord.rpc.client;

/**
 * A security flavor that keeps state for each client (RPCSEC_GSS, RFC 2203: a context, its sequence numbers):
 * set it with {@link RpcClientOptions.Builder#security}, and every {@link RpcClient} made with those options asks
 * it for a {@link Session} of its own, so options may be shared by many clients without sharing contexts.
 * {@code io.ripcord.rpc.auth.gss.GssClient} is the one Ripcord ships.
 *
 * <p>Threads: {@link #newSession()} is called by {@link RpcClient#connect}, on the thread that connects.
 */
@FunctionalInterface
public interface ClientSecurity {

    /** {@return the state of one new client} */
    Session newSession();

    /**
     * One client's security state: it prepares each of the client's connections (after the options'
     * {@link RpcClientOptions#connectionSetup()}, if any, so a TLS connection is set up first), gives the
     * credential of every call, and says goodbye when the client closes.
     */
    interface Session extends ConnectionSetup {

        /**
         * {@return the credential of every call the client makes without one of its own ({@link
         * CallOptions#credential()}); read once, when the client is made}
         */
        Credential credential();

        /**
         * Called by {@link RpcClient#close()} before it closes the client's connection, with a caller bound to that
         * connection: a last call whose reply nobody waits for (RPCSEC_GSS's DESTROY, RFC 2203 section 5.4) is sent
         * before the connection closes, because closing flushes what is queued first. The default does nothing.
         *
         * <p>Threads: the thread that closes the client; it must not block.
         *
         * @param connection makes calls on the connection being closed; their futures fail when it closes
         */
        default void closing(RpcCaller connection) {
        }
    }
}
