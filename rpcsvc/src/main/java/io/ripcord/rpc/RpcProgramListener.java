package io.ripcord.rpc;

import io.ripcord.transport.Transport;

/**
 * What a program hears about connections (GlusterFS's {@code rpcsvc_program_notify}: RPCSVC_EVENT_ACCEPT,
 * RPCSVC_EVENT_DISCONNECT, RPCSVC_EVENT_TRANSPORT_DESTROY). Called on the connection's owner poller; must not
 * block.
 */
public interface RpcProgramListener {

    /** A client connected (before any of its calls is dispatched). */
    default void onAccept(Transport transport) {
    }

    /** The connection ended; replies to its outstanding calls will be dropped. */
    default void onDisconnect(Transport transport) {
    }

    /** The last reference to the connection is gone: release what was kept for it. */
    default void onTransportDestroy(Transport transport) {
    }
}
