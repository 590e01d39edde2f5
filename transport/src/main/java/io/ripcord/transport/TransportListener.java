package io.ripcord.transport;

import java.nio.ByteBuffer;

/**
 * What a connection tells its owner (GlusterFS's {@code rpc_transport_notify} events). Every method runs on
 * the connection's owner poller, one at a time, and must not block.
 *
 * <table>
 * <caption>events</caption>
 * <tr><th>GlusterFS event</th><th>method</th></tr>
 * <tr><td>ACCEPT</td><td>{@link #onAccept}, before the connection is registered (so before any message)</td></tr>
 * <tr><td>CONNECT</td><td>{@link #onConnect}, when a client connection is established</td></tr>
 * <tr><td>MSG_RECEIVED</td><td>{@link #onMessage}</td></tr>
 * <tr><td>MSG_SENT</td><td>{@link #onMessageSent}</td></tr>
 * <tr><td>DISCONNECT</td><td>{@link #onDisconnect}, exactly once, with a cause</td></tr>
 * <tr><td>CLEANUP</td><td>{@link #onCleanup}, after DISCONNECT, when the last reference is released</td></tr>
 * </table>
 */
public interface TransportListener {

    /** ACCEPT: a server connection exists and is about to be registered. Runs on the listener's poller. */
    default void onAccept(Transport transport) {
    }

    /** CONNECT: a client connection is established. */
    default void onConnect(Transport transport) {
    }

    /**
     * MSG_RECEIVED: one frame from the decoder (or, with no decoder, the bytes of one read). The buffer is only
     * valid during this call: copy what must outlive it.
     *
     * @throws Exception the connection is then closed with cause {@link DisconnectCause#PROTOCOL}
     */
    void onMessage(Transport transport, ByteBuffer message) throws Exception;

    /** MSG_SENT: the last byte of a message sent with this {@code context} was written to the socket. */
    default void onMessageSent(Transport transport, Object context) {
    }

    /** Queued bytes crossed the high watermark ({@code false}) or fell back under the low one ({@code true}). */
    default void onWritabilityChanged(Transport transport, boolean writable) {
    }

    /**
     * The peer shut down its output while half-close is allowed
     * ({@link TransportOptions.Builder#allowHalfClose}); without it, end-of-stream is a disconnect (EOF).
     */
    default void onInputShutdown(Transport transport) {
    }

    /**
     * An idle timeout expired.
     *
     * @return whether to disconnect (cause {@link DisconnectCause#TIMEOUT}); the default does
     */
    default boolean onIdle(Transport transport, IdleState state) {
        return true;
    }

    /** DISCONNECT: exactly once per connection that was accepted or connected. */
    default void onDisconnect(Transport transport, DisconnectCause cause, Throwable error) {
    }

    /** CLEANUP: the last reference is gone. */
    default void onCleanup(Transport transport) {
    }
}
