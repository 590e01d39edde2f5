package io.ripcord.rpc.client;

import io.ripcord.transport.Transport;
import java.util.concurrent.CompletionStage;

/**
 * Prepares each new connection of an {@link RpcClient} before the client makes any other call on it, on the first
 * connect and on every reconnect: RFC 9289's AUTH_TLS probe followed by {@link Transport#startTls}, or
 * RPCSEC_GSS's context creation (RFC 2203 section 5.2). Set it with
 * {@link RpcClientOptions.Builder#connectionSetup}.
 *
 * <p>Until the stage it returns completes, the connection is not the client's: the client's own calls fail fast
 * as when there is no connection, and {@link RpcClient#connect} has not completed. If the stage fails, the
 * connection is closed (and the first connect fails with its error).
 *
 * <p>Threads: called on the connection's owner poller, right after CONNECT; it must not block. Make the calls
 * asynchronously through {@code connection} and chain on their futures.
 */
@FunctionalInterface
public interface ConnectionSetup {

    /**
     * Prepares one new connection. On its owner poller, right after CONNECT; must not block.
     *
     * @param connection makes calls on this connection only (its {@code callSync} refuses to run on the poller)
     * @param transport  the connection itself, for {@link Transport#startTls} and {@link Transport#tlsSession()}
     * @return completes when the connection is ready for the client's calls
     */
    CompletionStage<?> prepare(RpcCaller connection, Transport transport);
}
