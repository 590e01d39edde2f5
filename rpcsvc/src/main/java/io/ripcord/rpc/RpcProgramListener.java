package io.ripcord.rpc;

import io.ripcord.transport.Transport;

/**
 * What a program hears about connections (GlusterFS's {@code rpcsvc_program_notify}: RPCSVC_EVENT_ACCEPT,
 * RPCSVC_EVENT_DISCONNECT, RPCSVC_EVENT_TRANSPORT_DESTROY). Called on the connection's owner poller; must not
 * block.
 */
public interface RpcProgramListener {

    /**
     * A client connected (before any of its calls is dispatched).
     *
     * @param transport the new connection
     */
    default void onAccept(Transport transport) {
    }

    /**
     * A security layer established who is at the other end of the connection (see
     * {@link RpcCall#identifyConnection}): RFC 9289's TLS handshake after an AUTH_TLS probe is done (an
     * {@code io.ripcord.rpc.tls.TlsIdentity}: the verified certificate chain and the user mapped from it), or a Unix
     * socket's peer was checked (an {@code io.ripcord.rpc.auth.UnixPeer}). Runs before any later call on the
     * connection is dispatched; {@link RpcCall#connectionIdentity()} gives the same object to actors.
     *
     * @param transport the connection
     * @param identity  what the layer established; never {@code null}
     */
    default void onIdentified(Transport transport, Object identity) {
    }

    /**
     * The connection ended; replies to its outstanding calls will be dropped.
     *
     * @param transport the connection, closed
     */
    default void onDisconnect(Transport transport) {
    }

    /**
     * The last reference to the connection is gone: release what was kept for it.
     *
     * @param transport the connection, closed; no more events follow for it
     */
    default void onTransportDestroy(Transport transport) {
    }
}
