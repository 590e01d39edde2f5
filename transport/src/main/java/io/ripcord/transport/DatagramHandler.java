package io.ripcord.transport;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * What a {@link DatagramEndpoint} does with what it receives. Every method runs on the endpoint's owner poller,
 * so it must not block, sleep or resolve names; work that blocks belongs on an executor, whose result goes back
 * with {@link DatagramEndpoint#send}, which any thread may call.
 */
public interface DatagramHandler {

    /**
     * One datagram, whole: one message of a datagram protocol (ONC RPC over UDP: one call per datagram, and the
     * reply goes back to {@code sender}).
     *
     * <p>{@code datagram} is the poller's shared read buffer: valid only during this call, from its position to
     * its limit. Keep a copy, never the buffer. The handler may read it, move its position, or pass it to
     * {@link DatagramEndpoint#send} (which sends it at once or copies it).
     *
     * @param endpoint the endpoint that received it; answer with its {@link DatagramEndpoint#send}
     * @param datagram the datagram's bytes, from position to limit; valid only during this call
     * @param sender where it came from, the address to reply to
     * @throws Exception any failure: logged at DEBUG and counted in {@link DatagramEndpoint#handlerFailures()};
     *     the endpoint stays open, because one bad datagram from one peer must not stop the service
     */
    void onDatagram(DatagramEndpoint endpoint, ByteBuffer datagram, SocketAddress sender) throws Exception;

    /**
     * The endpoint closed; called exactly once, after its socket is closed. {@code cause} is {@code null} after
     * {@link DatagramEndpoint#close()}, a {@link io.ripcord.core.PoolShutdownException} when the pool shut down,
     * else the I/O error or exception that ended it. An exception thrown here is logged and ignored.
     *
     * @param endpoint the endpoint that closed
     * @param cause why it closed, or {@code null} after a requested close
     */
    default void onClose(DatagramEndpoint endpoint, Throwable cause) {
    }
}
