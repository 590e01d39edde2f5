package io.ripcord.rpc;

import io.ripcord.transport.DatagramEndpoint;
import io.ripcord.transport.Transport;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One datagram's call (RFC 5531 over UDP: one call per datagram, the reply to its sender, no record marking).
 * Nothing is counted: the socket's buffer bounds what a datagram server holds.
 */
final class DatagramOrigin implements CallOrigin {

    private final DatagramEndpoint endpoint;
    private final SocketAddress sender;

    DatagramOrigin(DatagramEndpoint endpoint, SocketAddress sender) {
        this.endpoint = endpoint;
        this.sender = sender;
    }

    @Override
    public RpcCall open(CallHeader header) {
        return CallPool.local().open(header, this);
    }

    @Override
    public void send(ByteBuffer reply, RpcCall call) {
        endpoint.send(reply, sender);
    }

    @Override
    public void dropped(RpcCall call) {
        // Nothing was counted for it.
    }

    @Override
    public void served(RpcCall call) {
        // Not reused: a datagram brings its sender's address and this origin, new each time, whatever its call costs.
    }

    @Override
    public long workStartedNanos() {
        return CallOrigin.workStartedNanos(endpoint.poller());
    }

    @Override
    public boolean inPoller() {
        return false;
    }

    @Override
    public Transport transport() {
        return null;
    }

    @Override
    public SocketAddress remoteAddress() {
        return sender;
    }

    @Override
    public Object identity() {
        return null;
    }

    @Override
    public boolean identify(Object identity) {
        return false; // one datagram is no connection: nothing outlives this call
    }
}
