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

    /**
     * ACCEPT: a server connection exists and is about to be registered. Runs on the listener's poller, which
     * need not be the connection's owner.
     *
     * @param transport the accepted connection; sends and pauses made now take effect once it is registered
     */
    default void onAccept(Transport transport) {
    }

    /**
     * CONNECT: a client connection is established (with TLS, its handshake is done). Comes before the
     * {@link Connector#connect} future completes.
     *
     * @param transport the connected transport; its addresses are known from now on
     */
    default void onConnect(Transport transport) {
    }

    /**
     * MSG_RECEIVED: one frame from the decoder (or, with no decoder, the bytes of one read). The buffer is only
     * valid during this call: copy what must outlive it.
     *
     * @param transport the connection the message came on
     * @param message the frame, from position to limit; read-only use, valid only until this returns
     * @throws Exception the connection is then closed with cause {@link DisconnectCause#PROTOCOL}
     */
    void onMessage(Transport transport, ByteBuffer message) throws Exception;

    /**
     * MSG_SENT: the last byte of a message was written to the socket (with TLS, the last record holding it). Not
     * a sign the peer has it. Messages dropped because the connection ended get no MSG_SENT.
     *
     * @param transport the connection the message went out on
     * @param context what was passed to {@link Transport#send(ByteBuffer, Object)}, possibly {@code null}
     */
    default void onMessageSent(Transport transport, Object context) {
    }

    /**
     * The back-pressure signal changed: stop or resume sending.
     *
     * @param transport the connection whose queue changed
     * @param writable {@code false} when the queued bytes crossed the high watermark, {@code true} when they
     *     fell back under the low one
     */
    default void onWritabilityChanged(Transport transport, boolean writable) {
    }

    /**
     * The peer shut down its output while half-close is allowed
     * ({@link TransportOptions.Builder#allowHalfClose}); without it, end-of-stream is a disconnect (EOF).
     * The connection may still send; close it when done.
     *
     * @param transport the connection whose input ended
     */
    default void onInputShutdown(Transport transport) {
    }

    /**
     * An idle timeout expired (see {@link TransportOptions#readIdleTimeout()} and its siblings).
     *
     * @param transport the idle connection
     * @param state which timeout expired
     * @return whether to disconnect (cause {@link DisconnectCause#TIMEOUT}); the default does
     */
    default boolean onIdle(Transport transport, IdleState state) {
        return true;
    }

    /**
     * DISCONNECT: exactly once per connection that was accepted or connected; the socket is closed and what was
     * still queued is dropped. A client connect that never succeeded has none (its future fails instead).
     *
     * @param transport the connection that ended
     * @param cause why, in one word
     * @param error the exception behind it, or {@code null} when there was none (a requested close, a clean EOF)
     */
    default void onDisconnect(Transport transport, DisconnectCause cause, Throwable error) {
    }

    /**
     * CLEANUP: the connection has ended and the last reference is gone ({@link Transport#release()}): free what
     * was kept for it. Unlike the other methods it runs on the thread of that last release, which is the owner
     * poller right after DISCONNECT unless some other thread still held a reference.
     *
     * @param transport the connection, closed; do not retain it again
     */
    default void onCleanup(Transport transport) {
    }
}
