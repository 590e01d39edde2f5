package io.ripcord.rpc;

import io.ripcord.transport.DisconnectCause;
import io.ripcord.transport.Transport;
import io.ripcord.transport.TransportListener;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

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
 * <p><b>Reuse.</b> A call answered inline goes back to the poller's {@link CallPool} once dispatch is done with it
 * and its reply is written (or it was dropped), whichever comes last.
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
        return CallPool.local().open(header, this);
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
            if (call.releasedByTransport()) {
                CallPool.local().recycle(call);
            }
        } else {
            transport.execute(this::answered);
        }
    }

    @Override
    public void served(RpcCall call) {
        if (call.dispatchedReusable() && call.isReleased()) {
            CallPool.local().recycle(call); // its reply was written inline, during dispatch
        }
    }

    @Override
    public long workStartedNanos() {
        return CallOrigin.workStartedNanos(transport.poller());
    }

    @Override
    public boolean inPoller() {
        return transport.inPoller();
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

    /**
     * The statedump's line: the connection, its calls outstanding and whether reading is paused at the limit. From
     * any thread: the count is read without synchronisation, as the owner poller last wrote it (a dump may be a
     * moment behind, never torn: an {@code int}).
     */
    String describe() {
        return transport + ": outstanding calls " + outstanding + (throttled ? " (reading paused at the limit)" : "");
    }

    // --- TransportListener ----------------------------------------------------------------------------------

    @Override
    public void onAccept(Transport t) {
        List<RpcProgramListener> ls = service.programListeners();
        for (int i = 0; i < ls.size(); i++) { // indexed: an iterator would be an object per connection
            ls.get(i).onAccept(t);
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
            RpcCall call = (RpcCall) context;
            if (call.releasedByTransport()) {
                CallPool.local().recycle(call);
            }
        }
    }

    @Override
    public void onDisconnect(Transport t, DisconnectCause cause, Throwable error) {
        service.forget(this);
        RpcReplyHandler replies = service.replyHandler();
        if (replies != null) {
            replies.onDisconnect(t, cause);
        }
        List<RpcProgramListener> ls = service.programListeners();
        for (int i = 0; i < ls.size(); i++) {
            ls.get(i).onDisconnect(t);
        }
    }

    @Override
    public void onCleanup(Transport t) {
        List<RpcProgramListener> ls = service.programListeners();
        for (int i = 0; i < ls.size(); i++) {
            ls.get(i).onTransportDestroy(t);
        }
    }
}
