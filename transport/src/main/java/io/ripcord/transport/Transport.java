package io.ripcord.transport;

import io.ripcord.core.Poller;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSession;
import jdk.net.UnixDomainPrincipal;

/**
 * One connection (GlusterFS's {@code rpc_transport_t}): a stream socket, TCP or Unix domain, on the poller
 * that owns it.
 *
 * <p>Thread rules: every method may be called from any thread. On the owner poller, {@link #send} writes at
 * once when nothing is queued; elsewhere it copies the message, queues it and lets the owner write it. Closing
 * and pausing from other threads are queued to the owner. Events ({@link TransportListener}) are delivered
 * on the owner poller, one at a time.
 *
 * <p>It is an interface so code built on it can be tested against a mocked transport.
 */
public interface Transport {

    /**
     * Sends {@code message} (its bytes from position to limit). The caller keeps the buffer: what is not
     * written at once is copied, so the buffer may be reused as soon as this returns. Messages from one thread
     * go out in the order sent. Sending on a closed transport drops the message silently (the DISCONNECT event
     * has said or will say why).
     *
     * @param context handed back with {@link TransportListener#onMessageSent} once the last byte is written
     *                (may be {@code null}); on the owner with nothing queued that can happen before this returns
     */
    void send(ByteBuffer message, Object context);

    /** {@link #send(ByteBuffer, Object)} with no context. */
    default void send(ByteBuffer message) {
        send(message, null);
    }

    /** Flushes what is queued, then closes; DISCONNECT cause {@link DisconnectCause#LOCAL_CLOSE}. */
    void close();

    /** Closes at once, dropping what is queued; DISCONNECT cause {@link DisconnectCause#LOCAL_CLOSE}. */
    void abort();

    /** Half-close: flushes what is queued, then shuts down the output side; reading goes on. */
    void shutdownOutput();

    /** Stops reading from the socket until {@link #resumeReading()}; messages already buffered wait too. */
    void pauseReading();

    /** Undoes {@link #pauseReading()}. */
    void resumeReading();

    /**
     * Starts TLS on this live connection, after plaintext has been exchanged (STARTTLS; RFC 9289's RPC-with-TLS):
     * the side is the side of {@code tls} ({@link TlsOptions#client} or {@link TlsOptions#server}). From the
     * switch on:
     * <ul>
     * <li>bytes read and not yet delivered as messages are the peer's first TLS records: call this on the owner
     * poller from {@link TransportListener#onMessage} of the last plaintext message, and whatever the peer sent
     * right behind it goes to the handshake (a peer that keeps talking in the clear fails it, and the connection
     * closes with cause {@link DisconnectCause#PROTOCOL}: nothing behind the switch is ever delivered as
     * plaintext);</li>
     * <li>messages sent before it are written in the clear first (so reply to a STARTTLS request, then call
     * this); messages sent after it are held and go out encrypted once the handshake is done.</li>
     * </ul>
     * Called from another thread, it is queued to the owner, and the switch happens where the owner then is:
     * there is no telling which plaintext was delivered first, so do that only while the peer waits.
     *
     * @return completes with this transport when the handshake is done, or exceptionally with its
     *         {@link javax.net.ssl.SSLException} (the connection then closes), with an
     *         {@link IllegalStateException} if TLS runs already or the connection is not open both ways, or with the
     *         error that ended the connection first
     */
    default CompletableFuture<Transport> startTls(TlsOptions tls) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(getClass().getName()
                + " cannot start TLS"));
    }

    /**
     * The TLS session once a handshake is done (the peer's verified certificates, the protocol, the application
     * protocol agreed), or {@code null} on a plain connection or before the handshake is done.
     */
    default SSLSession tlsSession() {
        return null;
    }

    /**
     * The credentials of the process at the other end of a Unix domain socket ({@code SO_PEERCRED}: its user
     * and group as the kernel saw them at connect time), or {@code null} for other sockets. Reads them from the
     * socket on every call.
     */
    default UnixDomainPrincipal peerCredentials() {
        return null;
    }

    /** Whether the queued bytes are below the high watermark (or have fallen back under the low one). */
    boolean isWritable();

    /** Bytes accepted by {@link #send} and not yet written to the socket. */
    long queuedBytes();

    /** Whether the transport is connected and no close has been requested. */
    boolean isOpen();

    SocketAddress localAddress();

    SocketAddress remoteAddress();

    /** The poller that owns this connection now. */
    Poller poller();

    /** Whether the calling thread is the owner poller. */
    boolean inPoller();

    /** Runs {@code task} on the owner poller while the connection is registered; dropped afterwards. */
    void execute(Runnable task);

    /** Takes a reference; CLEANUP comes after DISCONNECT once every reference is released. */
    void retain();

    /** Releases a reference taken by {@link #retain()}. */
    void release();

    /** An object the user keeps with this transport. */
    Object attachment();

    void attach(Object value);
}
