package io.ripcord.rpc;

import io.ripcord.transport.DisconnectCause;
import io.ripcord.transport.Transport;
import java.nio.ByteBuffer;

/**
 * Where an {@link RpcService} hands the REPLY messages that arrive on its stream connections: the answers
 * clients send to calls the server made to them on the same connection (GlusterFS's
 * {@code rpcsvc_callback_submit}). Without a handler such replies are dropped, as RFC 5531 lets a server do
 * with any message that is not a CALL. Install one with {@link RpcService#replyHandler(RpcReplyHandler)};
 * {@code io.ripcord.rpc.client.RpcCallbacks} is the one Ripcord provides.
 *
 * <p>Both methods run on the connection's owner poller and must not block.
 */
public interface RpcReplyHandler {

    /**
     * A REPLY arrived.
     *
     * @param transport the connection it came on
     * @param xid       its transaction id
     * @param reply     the whole message from its xid on, valid only during this call
     */
    void onReply(Transport transport, int xid, ByteBuffer reply);

    /**
     * The connection ended: calls still waiting for a reply on it will get none.
     *
     * @param transport the connection
     * @param cause     why it ended
     */
    default void onDisconnect(Transport transport, DisconnectCause cause) {
    }
}
