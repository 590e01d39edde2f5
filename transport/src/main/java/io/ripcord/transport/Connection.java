package io.ripcord.transport;

import io.ripcord.core.Clock;
import io.ripcord.core.PoolShutdownException;
import io.ripcord.core.Slot;
import io.ripcord.core.Timer;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream connection's state (GlusterFS's {@code socket.c} connection half), shared by the two halves of its
 * code: {@link ConnectionIo}, what the owner poller does with the socket, and {@link SocketTransport}, the
 * {@link Transport} its users see and its lifecycle. One object at run time: the halves are classes only so that
 * each reads in one sitting.
 *
 * <p>The connection's work is done by its parts:
 * <table>
 * <caption>the parts of a connection</caption>
 * <tr><th>part</th><th>owns</th></tr>
 * <tr><td>{@link WriteQueue}</td><td>messages accepted and not yet written, their byte count and watermarks, and
 * the inbox other threads hand messages to</td></tr>
 * <tr><td>{@link ReadPath}</td><td>the decoder, the buffer of a partial frame, delivery and batching</td></tr>
 * <tr><td>{@link TlsStage}</td><td>(TLS connections only) the engine and its records, the handshake,
 * close_notify</td></tr>
 * <tr><td>{@link Timeouts}</td><td>(only with idle or frame timeouts set) when it last read and wrote, the
 * timers</td></tr>
 * <tr><td>{@link Dialing}</td><td>(client connections until CONNECT) the connect future and timeout</td></tr>
 * </table>
 *
 * <p><b>States.</b> {@link #state} only moves forward: CONNECTING (client only) → OPEN → CLOSING (a requested close
 * flushes first) → CLOSED, with the two halves of the stream (input shut by the peer, output shut by us), the
 * pauses of reading and, on TLS, the stage's own states on the side; {@code transport/README.md} has the table.
 *
 * <p><b>Threads.</b> The fields marked volatile are read from any thread; everything else is the owner poller's.
 */
abstract class Connection implements Transport {

    static final Logger log = LoggerFactory.getLogger(SocketTransport.class);
    private static final AtomicReferenceFieldUpdater<Connection, WriteQueue> QUEUE =
            AtomicReferenceFieldUpdater.newUpdater(Connection.class, WriteQueue.class, "queue");

    static final int CONNECTING = 0;
    static final int OPEN = 1;
    static final int CLOSING = 2;
    static final int CLOSED = 3;

    final SocketChannel channel;
    final TransportOptions options;
    /**
     * What is queued to write: {@link WriteQueue#NONE} until the first message that cannot go out inline, then the
     * connection's own ({@link #queue()}). Read from any thread.
     */
    volatile WriteQueue queue = WriteQueue.NONE;
    /** CONNECTING, OPEN, CLOSING or CLOSED; only moves forward. Written by the owner, read anywhere. */
    volatile int state;
    volatile TransportListener listener;
    volatile Slot slot;
    volatile SocketAddress localAddress;
    volatile SocketAddress remoteAddress;
    /** Tasks given to {@code execute} before the slot existed; guarded by the channel's monitor. */
    List<Runnable> preRegister;
    Runnable onDisconnected;

    // Owner poller only.
    Dialing dialing;
    DisconnectCause cause;
    Throwable error;
    boolean registered;
    boolean armedIn;
    boolean armedOut;
    /** The peer shut its output (half-close allowed): no more reading. */
    boolean inputShut;
    boolean outputShutRequested;
    boolean outputShut;
    boolean userPaused;
    boolean watermarkPaused;

    /**
     * @param dialing for a client connection, its connect in progress; {@code null} for an accepted one
     * @param connecting the connect is still pending
     */
    Connection(SocketChannel channel, TransportOptions options, Dialing dialing, boolean connecting) {
        this.channel = channel;
        this.options = options;
        this.dialing = dialing;
        this.state = connecting ? CONNECTING : OPEN;
        try {
            this.localAddress = channel.getLocalAddress();
            this.remoteAddress = channel.getRemoteAddress();
        } catch (IOException e) {
            log.debug("could not read the addresses of {}", channel, e);
        }
    }

    /** The connection's own write queue, made now if it had none. Any thread. */
    WriteQueue queue() {
        WriteQueue q = queue;
        if (q != WriteQueue.NONE) {
            return q;
        }
        q = new WriteQueue();
        return QUEUE.compareAndSet(this, WriteQueue.NONE, q) ? q : queue;
    }

    /** The peer for messages: the address asked for while a connect is in progress, else the remote one. */
    Object peerForMessages() {
        Dialing d = dialing;
        return d != null ? d.target : remoteAddress;
    }

    TransportOptions options() {
        return options;
    }

    int readBufferSize() {
        return options.readBufferSize();
    }

    boolean readPaused() {
        return userPaused || watermarkPaused;
    }

    /** The pool's clock, which the timers run by. */
    Clock clock() {
        return slot.pool().options().clock();
    }

    Timer schedule(Runnable task, long delayNanos) {
        return slot.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    boolean isClosed() {
        return state == CLOSED;
    }

    /** Closes at once on the owner with {@code why}; the pool then makes the one final pollErr call. */
    void failNow(DisconnectCause why, Throwable err) {
        if (cause == null) {
            cause = why;
            error = err;
        }
        if (state != CLOSED) {
            state = CLOSED;
            Slot s = slot;
            if (s != null) {
                s.close();
            }
        }
    }

    static DisconnectCause causeOf(Throwable t) {
        if (t == null) {
            return DisconnectCause.LOCAL_CLOSE;
        }
        if (t instanceof PoolShutdownException) {
            return DisconnectCause.SHUTDOWN;
        }
        if (t instanceof FrameException || t instanceof SSLException) {
            return DisconnectCause.PROTOCOL;
        }
        if (t instanceof IOException) {
            return DisconnectCause.RESET;
        }
        return DisconnectCause.PROTOCOL;
    }

    void onOwner(Runnable r) {
        Slot s = slot;
        if (s != null && s.inPoller() && registered) {
            r.run();
        } else {
            execute(r);
        }
    }
}
