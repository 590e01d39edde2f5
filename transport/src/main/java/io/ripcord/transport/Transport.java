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
     * @param message the bytes to send, from position to limit; its position is at its limit on return
     * @param context handed back with {@link TransportListener#onMessageSent} once the last byte is written
     *                (may be {@code null}); on the owner with nothing queued that can happen before this returns
     */
    void send(ByteBuffer message, Object context);

    /**
     * Sends {@code message} with no context; see {@link #send(ByteBuffer, Object)}.
     *
     * @param message the bytes to send, from position to limit; the caller keeps the buffer
     */
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
     * @param tls the TLS side and settings: {@link TlsOptions#client} or {@link TlsOptions#server}
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
     * The TLS session of this connection. From any thread.
     *
     * @return the session once a handshake is done (the peer's verified certificates, the protocol, the
     *     application protocol agreed), or {@code null} on a plain connection or before the handshake is done
     */
    default SSLSession tlsSession() {
        return null;
    }

    /**
     * The credentials of the process at the other end of a Unix domain socket. Reads them from the socket on
     * every call (a system call); from any thread.
     *
     * @return its user and group as the kernel saw them at connect time ({@code SO_PEERCRED}), or {@code null}
     *     for other sockets or once they cannot be read (the socket is closed)
     */
    default UnixDomainPrincipal peerCredentials() {
        return null;
    }

    /**
     * Whether the caller should go on sending: the back-pressure signal. From any thread.
     *
     * @return {@code false} from when the queued bytes crossed the high watermark until they fell back under
     *     the low one ({@link TransportOptions#writeHighWatermark()}); {@code true} otherwise
     */
    boolean isWritable();

    /**
     * How much is waiting to be written. From any thread.
     *
     * @return bytes accepted by {@link #send} and not yet written to the socket (with TLS, plaintext bytes not yet
     *     written as records)
     */
    long queuedBytes();

    /**
     * Whether messages sent now can still go out. From any thread.
     *
     * @return {@code true} while connected and no close has been requested or has happened
     */
    boolean isOpen();

    /**
     * This end's address. From any thread.
     *
     * @return the local address ({@link java.net.InetSocketAddress} or {@link java.net.UnixDomainSocketAddress}),
     *     or {@code null} while a client connection is still connecting or if it could not be read
     */
    SocketAddress localAddress();

    /**
     * The peer's address. From any thread.
     *
     * @return the remote address, or {@code null} while a client connection is still connecting or if it could
     *     not be read; a Unix domain peer that did not bind has an empty path
     */
    SocketAddress remoteAddress();

    /**
     * The poller that owns this connection now; it changes only when a pool resize retires the owner.
     *
     * @return the owner, or {@code null} before the connection is registered (in {@link Acceptor#accept})
     */
    Poller poller();

    /**
     * Whether the calling thread is the owner poller, where listener methods run and sends are written inline.
     *
     * @return {@code true} only on the owner's thread
     */
    boolean inPoller();

    /**
     * Runs {@code task} on the owner poller, after what is already queued to it; from any thread. A task given
     * before the connection is registered runs once it is. Dropped once the connection's slot has closed, or
     * once the pool has stopped.
     *
     * @param task what to run; it must not block
     */
    void execute(Runnable task);

    /**
     * Takes a reference, to keep the transport's state (its attachment, say) alive past DISCONNECT: CLEANUP comes
     * once the connection has ended and every reference is released. The connection holds one of its own,
     * released after DISCONNECT. From any thread.
     *
     * @throws IllegalStateException if CLEANUP already happened
     */
    void retain();

    /**
     * Releases a reference taken by {@link #retain()}. From any thread; the last release runs
     * {@link TransportListener#onCleanup} on the calling thread.
     *
     * @throws IllegalStateException if released more often than retained
     */
    void release();

    /**
     * The object last given to {@link #attach}. From any thread (a volatile read).
     *
     * @return the attachment, or {@code null} if none was attached
     */
    Object attachment();

    /**
     * Keeps an object of the caller's with this transport, such as the session a protocol layer built for it.
     * From any thread (a volatile write); it replaces the previous one.
     *
     * @param value the object, or {@code null} to drop it
     */
    void attach(Object value);
}
