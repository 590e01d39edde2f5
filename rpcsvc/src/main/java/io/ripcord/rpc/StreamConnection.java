package io.ripcord.rpc;

import io.ripcord.transport.DisconnectCause;
import io.ripcord.transport.Transport;
import io.ripcord.transport.TransportListener;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One stream connection of an {@link RpcService} (TCP or a Unix socket): hands each record to dispatch, frames
 * each reply with its record mark (RFC 5531 section 11), and throttles.
 *
 * <p><b>Throttling.</b> Every call this connection opens counts until its reply has been <em>written</em> (the
 * transport's MSG_SENT, with the call as its context) or it was dropped; at
 * {@link RpcServiceOptions#outstandingLimit()} the connection stops reading, and it reads again once a reply
 * is out. GlusterFS releases its throttle when the reply is queued; waiting for the write is what keeps a
 * client that never reads from growing the server's memory.
 *
 * <p>Threads: the {@link TransportListener} methods and the count run on the connection's owner poller;
 * {@link #send} and {@link #dropped} may come from any thread (an actor's executor).
 */
final class StreamConnection implements TransportListener, CallOrigin {

    private final RpcService service;
    private final Transport transport;
    // Owner poller only.
    private int outstanding;
    private boolean throttled;
    /** Set on the owner poller by a security layer (RFC 9289's TLS peer, a Unix socket's peer); read anywhere. */
    private volatile Object identity;

    StreamConnection(RpcService service, Transport transport) {
        this.service = service;
        this.transport = transport;
    }

    @Override
    public RpcCall open(CallHeader header) {
        if (++outstanding >= service.options().outstandingLimit() && !throttled) {
            throttled = true;
            transport.pauseReading();
        }
        return new RpcCall(header, this);
    }

    private void answered() {
        outstanding--;
        if (throttled && outstanding < service.options().outstandingLimit()) {
            throttled = false;
            transport.resumeReading();
        }
    }

    @Override
    public void send(ByteBuffer reply, RpcCall call) {
        transport.send(RecordMarking.frame(reply), call);
    }

    @Override
    public void dropped(RpcCall call) {
        if (transport.inPoller()) {
            answered();
        } else {
            transport.execute(this::answered);
        }
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public SocketAddress remoteAddress() {
        return transport.remoteAddress();
    }

    @Override
    public Object identity() {
        return identity;
    }

    @Override
    public boolean identify(Object peer) {
        assert transport.inPoller();
        identity = peer;
        for (RpcProgramListener l : service.programListeners()) {
            l.onIdentified(transport, peer);
        }
        return true;
    }

    // --- TransportListener ----------------------------------------------------------------------------------

    @Override
    public void onAccept(Transport t) {
        for (RpcProgramListener l : service.programListeners()) {
            l.onAccept(t);
        }
    }

    @Override
    public void onMessage(Transport t, ByteBuffer message) {
        if (!service.dispatcher().dispatch(message, this)) {
            t.close();
        }
    }

    @Override
    public void onMessageSent(Transport t, Object context) {
        if (context instanceof RpcCall) {
            answered();
        }
    }

    @Override
    public void onDisconnect(Transport t, DisconnectCause cause, Throwable error) {
        RpcReplyHandler replies = service.replyHandler();
        if (replies != null) {
            replies.onDisconnect(t, cause);
        }
        for (RpcProgramListener l : service.programListeners()) {
            l.onDisconnect(t);
        }
    }

    @Override
    public void onCleanup(Transport t) {
        for (RpcProgramListener l : service.programListeners()) {
            l.onTransportDestroy(t);
        }
    }
}
