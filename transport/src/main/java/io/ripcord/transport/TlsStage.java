package io.ripcord.transport;

import io.ripcord.core.Timer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS in front of one connection's socket: one {@link SSLEngine} and the records around it. The connection
 * calls it at two points and knows nothing else of TLS:
 * <ul>
 * <li><b>records in, plaintext out</b>: {@link #read} unwraps the records already read (and reads more from the
 * socket when they run out) into the plaintext buffer the connection's {@link ReadPath} gives it;</li>
 * <li><b>plaintext in, records out</b>: {@link #flush} writes the records it holds and wraps more of the
 * connection's {@link WriteQueue}. A message counts as queued until the records holding its last byte are
 * written; then it is completed (MSG_SENT).</li>
 * </ul>
 * It also runs the handshake (its messages go out through {@link #flush} too), hands the engine's delegated
 * tasks to their executor, and keeps the state of TLS's own close (close_notify).
 *
 * <p><b>Starting on a live connection</b> ({@link Transport#startTls}): bytes the connection read after the
 * switch point and had not delivered are records of this stage ({@link #takeEarlyBytes}); messages queued
 * before the switch go out in the clear first, up to {@link #rawUntil}, and only then do records follow.
 *
 * <p><b>Buffers.</b> Records read but not unwrapped ({@code netIn}, write mode between reads) and records
 * wrapped but not written ({@code netOut}, read mode) live in buffers from the owner poller's heap
 * {@link BufferPool} (see there why heap) and go back as soon as they are empty, so an idle TLS connection holds
 * none. Within one wakeup, socket reads go into the poller's shared record buffer.
 *
 * <p>Thread rules: owner poller only, the engine's {@code wrap}/{@code unwrap} included; only the delegated
 * tasks run elsewhere, on {@link TlsOptions#delegatedTaskExecutor()}, and come back through
 * {@link Transport#execute}.
 */
final class TlsStage {

    private static final Logger log = LoggerFactory.getLogger(TlsStage.class);
    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};
    /** {@link #read}: the plaintext buffer lacks room for a record (the session's size grew); ask again. */
    static final int MORE_ROOM = -2;

    private final ConnectionIo conn;
    private final SocketChannel channel;
    private final TlsOptions options;
    private final SSLEngine engine;
    /** Completes when the handshake is done; fails with it, or when the connection ends first. */
    private final CompletableFuture<Transport> handshake;
    /** Set once the handshake is done, for {@link Transport#tlsSession()} on any thread. */
    private volatile SSLSession session;

    /** The last message queued before TLS started on a live connection: it and those before go out in the clear. */
    Outbound rawUntil;
    private boolean handshakeDone;
    /** Delegated tasks run elsewhere: neither wrap nor unwrap until they are done. */
    private boolean taskPending;
    /** {@code closeOutbound} was called: a close_notify is wrapped (or written); no more data goes out. */
    private boolean outboundClosed;
    /** The peer's close_notify arrived, or its end of stream did. */
    private boolean inboundDone;
    /** The end of input was the socket's end of stream, not a close_notify. */
    private boolean socketEnded;
    /** In {@link #flush}: a flush reached from a listener it called returns at once (the outer one goes on). */
    private boolean flushing;
    /**
     * Socket reads left in this wakeup: 0 once one found the socket drained, or the connection's reads per wakeup
     * are used up (records already read are unwrapped all the same, since no poll-in would come for them).
     */
    private int socketReadsLeft;
    /** Plaintext bytes wrapped into {@code netOut} and not yet written: still counted as queued. */
    private long wrappedPlain;
    private Timer handshakeTimer;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    /** The records being unwrapped within one wakeup: {@code netIn} flipped, or the poller's shared buffer. */
    private ByteBuffer reading;

    TlsStage(ConnectionIo conn, SocketChannel channel, TlsOptions options,
             CompletableFuture<Transport> handshake) {
        this.conn = conn;
        this.channel = channel;
        this.options = options;
        this.engine = options.newEngine(options.isClient());
        this.handshake = handshake;
    }

    boolean isHandshakeDone() {
        return handshakeDone;
    }

    /** The session once the handshake is done, else {@code null}. Any thread. */
    SSLSession session() {
        return session;
    }

    /** The most plaintext one record unwraps to: the room {@link #read} needs in its buffer. */
    int plaintextRoom() {
        return engine.getSession().getApplicationBufferSize();
    }

    private int packetSize() {
        return engine.getSession().getPacketBufferSize();
    }

    // --- lifecycle ------------------------------------------------------------------------------------------

    /** Begins the handshake: arms its timeout and wraps what this side sends first. The caller flushes. */
    void begin() throws SSLException {
        long timeout = options.handshakeTimeout().toNanos();
        if (timeout > 0) {
            handshakeTimer = conn.schedule(this::handshakeTimedOut, timeout);
        }
        engine.beginHandshake();
        advance();
    }

    private void handshakeTimedOut() {
        handshakeTimer = null;
        if (!handshakeDone) {
            conn.tlsTimedOut(new SSLHandshakeException("TLS handshake with " + conn.peerForMessages()
                    + " not done after " + options.handshakeTimeout().toMillis() + " ms"));
        }
    }

    /**
     * Does what the engine asks for that needs nothing from the peer: wraps handshake messages (and alerts) into
     * {@code netOut}, hands delegated tasks to their executor. The caller flushes.
     */
    private void advance() throws SSLException {
        while (!taskPending && !conn.isClosed()) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP:
                    SSLEngineResult r = wrap(NOTHING, 0, 1);
                    if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                        finished();
                    }
                    if (r.bytesProduced() == 0) {
                        return;
                    }
                    break;
                case NEED_TASK:
                    runDelegatedTasks();
                    return;
                case NOT_HANDSHAKING:
                    // FINISHED shows in one result only; this catches a handshake that ended in a delegated task.
                    if (!handshakeDone && !outboundClosed && !inboundDone) {
                        finished();
                    }
                    return;
                default:
                    return; // NEED_UNWRAP: the peer speaks next
            }
        }
    }

    private void finished() throws SSLException {
        if (handshakeDone) {
            return;
        }
        handshakeDone = true;
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
        List<String> alpn = options.applicationProtocols();
        String agreed = engine.getApplicationProtocol();
        if (!alpn.isEmpty() && (agreed == null || !alpn.contains(agreed))) {
            throw new SSLHandshakeException("no application protocol agreed with " + conn.peerForMessages()
                    + " (ALPN, RFC 7301): need one of " + alpn + ", got '" + (agreed == null ? "" : agreed) + "'");
        }
        if (log.isDebugEnabled()) {
            log.debug("{}: TLS handshake done: {} {}{}", conn, engine.getSession().getProtocol(),
                    engine.getSession().getCipherSuite(), agreed == null || agreed.isEmpty() ? "" : ", ALPN " + agreed);
        }
        session = engine.getSession();
        conn.tlsHandshakeDone();
        handshake.complete(conn);
    }

    /** Hands the engine's delegated tasks to their executor; reading and wrapping wait until they are done. */
    private void runDelegatedTasks() {
        List<Runnable> tasks = new ArrayList<>(2);
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            tasks.add(task);
        }
        if (tasks.isEmpty()) {
            return;
        }
        taskPending = true;
        try {
            options.delegatedTaskExecutor().execute(() -> runTasks(tasks));
        } catch (RejectedExecutionException e) {
            taskPending = false;
            conn.tlsFailed(new SSLException("the TLS delegated-task executor refused a task", e));
        }
    }

    /** On the delegated-task executor, never on a poller: certificate checks and key exchange may be slow. */
    private void runTasks(List<Runnable> tasks) {
        Throwable failure = null;
        try {
            for (Runnable r : tasks) {
                r.run();
            }
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            failure = e;
            throw e;
        } finally {
            Throwable f = failure;
            conn.execute(() -> tasksDone(f));
        }
    }

    private void tasksDone(Throwable failure) {
        taskPending = false;
        if (conn.isClosed()) {
            return;
        }
        if (failure != null) {
            conn.tlsFailed(new SSLException("a TLS delegated task failed", failure));
            return;
        }
        try {
            advance();
        } catch (SSLException e) {
            conn.tlsFailed(e);
            return;
        }
        conn.tlsResumed();
    }

    // --- records in, plaintext out ---------------------------------------------------------------------------

    /**
     * Bytes the connection read after its switch point and had not delivered as plaintext: the peer's first
     * records (or garbage, which the handshake will refuse).
     */
    void takeEarlyBytes(ByteBuffer bytes) {
        if (!bytes.hasRemaining()) {
            return;
        }
        if (netIn == null) {
            netIn = BufferPool.localHeap().acquire(Math.max(bytes.remaining(), packetSize()));
        } else if (netIn.remaining() < bytes.remaining()) {
            netIn = grow(netIn, netIn.position() + bytes.remaining());
        }
        netIn.put(bytes);
    }

    /** A new wakeup's reads begin: the socket may be read {@code maxSocketReads} times. */
    void readsBegin(int maxSocketReads) {
        socketReadsLeft = maxSocketReads;
    }

    /**
     * Unwraps records into {@code dst} (which has {@link #plaintextRoom()} bytes of room), reading the socket
     * when the records held run out and {@code fromSocket} allows it (within the wakeup's budget, and not after a
     * read found it drained).
     * Handshake records are consumed on the way, and what the handshake answers is wrapped for the next flush.
     *
     * @param fromSocket whether the socket may be read (on poll-in), or only the records already held (a resume,
     *                   or delegated tasks done, possibly within another connection's delivery)
     * @return plaintext bytes put in {@code dst}; 0 when there are none now (more records needed, delegated tasks
     *         running, or reading is paused); -1 at the end of input (close_notify, or the socket's end of stream);
     *         {@link #MORE_ROOM} when {@code dst} needs more room first
     */
    int read(ByteBuffer dst, boolean fromSocket) throws IOException {
        int stalls = 0;
        for (;;) {
            if (inboundDone) {
                return -1;
            }
            if (taskPending || conn.isClosed() || (handshakeDone && conn.readPaused())) {
                return 0;
            }
            ByteBuffer net = records();
            if (net == null || !net.hasRemaining()) {
                int more = readMore(fromSocket);
                if (more <= 0) {
                    return more;
                }
                continue;
            }
            SSLEngineResult r = engine.unwrap(net, dst);
            switch (r.getStatus()) {
                case CLOSED:
                    inboundDone = true;
                    log.debug("{}: the peer sent close_notify", conn);
                    return r.bytesProduced() > 0 ? r.bytesProduced() : -1;
                case BUFFER_UNDERFLOW:
                    int more = readMore(fromSocket);
                    if (more <= 0) {
                        return more;
                    }
                    continue;
                default:
                    // OK, or BUFFER_OVERFLOW: the session's plaintext size grew; the caller makes room and asks again.
                    break;
            }
            if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                finished();
            }
            advance();
            if (r.bytesProduced() > 0) {
                return r.bytesProduced();
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                if (dst.remaining() >= plaintextRoom()) {
                    throw new SSLException("the TLS engine wants more room than its session's " + plaintextRoom()
                            + " bytes to unwrap a record");
                }
                return MORE_ROOM;
            }
            if (r.bytesConsumed() == 0 && ++stalls > 2) {
                throw new SSLException("the TLS engine makes no progress unwrapping: " + r);
            }
        }
    }

    /**
     * Reads the socket for more records, if this call and the wakeup's budget allow it.
     *
     * @return the bytes read; 0 when none now, or none may be read; -1 at its end of stream
     */
    private int readMore(boolean fromSocket) throws IOException {
        if (!fromSocket || socketReadsLeft == 0) {
            return 0;
        }
        int n = readSocket();
        if (n < 0) {
            inboundDone = true;
            socketEnded = true;
        }
        return n;
    }

    /** The records held for unwrapping, in read mode; {@code null} when none. */
    private ByteBuffer records() {
        if (reading == null && netIn != null && netIn.position() > 0) {
            netIn.flip();
            reading = netIn;
        }
        return reading;
    }

    /** Reads the socket after the records held: into {@code netIn}, or the poller's shared buffer when none. */
    private int readSocket() throws IOException {
        ByteBuffer target;
        if (reading != null && reading.hasRemaining()) {
            // Part of a record: keep it in this connection's own buffer and read after it.
            if (reading != netIn) {
                netIn = BufferPool.localHeap().acquire(Math.max(reading.remaining() * 2, packetSize()));
                netIn.put(reading);
            } else {
                netIn.compact();
            }
            if (!netIn.hasRemaining()) {
                // A full buffer without a whole record: the session allows larger records than at first.
                netIn = grow(netIn, Math.max(netIn.capacity() * 2, packetSize()));
            }
            target = netIn;
        } else if (netIn != null) {
            target = netIn.clear();
        } else {
            target = BufferPool.localHeap().scratch(Math.max(conn.readBufferSize(), packetSize()));
        }
        reading = null;
        int space = target.remaining();
        int n = channel.read(target);
        socketReadsLeft = n < space ? 0 : socketReadsLeft - 1;
        if (n > 0) {
            conn.bytesRead();
            target.flip();
            reading = target;
        }
        return n;
    }

    /** The wakeup's reads end: records left are kept in {@code netIn}, which is released when empty. */
    void readsEnd() {
        ByteBuffer r = reading;
        reading = null;
        if (r == null) {
            if (netIn != null && netIn.position() == 0) {
                BufferPool.localHeap().release(netIn);
                netIn = null;
            }
            return;
        }
        if (!r.hasRemaining()) {
            if (r == netIn) {
                BufferPool.localHeap().release(netIn);
                netIn = null;
            }
            return;
        }
        if (r == netIn) {
            netIn.compact();
        } else {
            netIn = BufferPool.localHeap().acquire(Math.max(r.remaining(), packetSize()));
            netIn.put(r);
        }
    }

    /** Whether part of a record is held (for the frame timeout: an incomplete record is a partial frame). */
    boolean hasPartialRecord() {
        return netIn != null && netIn.position() > 0;
    }

    /** Whether input ended with the peer's close_notify (rather than the socket's end of stream). */
    boolean closeNotifyReceived() {
        return inboundDone && !socketEnded;
    }

    /**
     * Input ended with the socket's end of stream, which may mean the stream was cut short (RFC 8446 section
     * 6.1): the engine's complaint if it says so, for the DISCONNECT error; {@code null} if it does not.
     */
    SSLException truncation() {
        try {
            engine.closeInbound();
            return null;
        } catch (SSLException e) {
            log.debug("{}: end of stream without close_notify ({})", conn, e.getMessage());
            return e;
        }
    }

    /**
     * Whether, after the peer's close_notify, our side may still write (a half-close): a TLS 1.2 engine answers
     * a close_notify with its own at once (RFC 5246 section 7.2.1), which ends the connection instead.
     */
    boolean outputSurvivesPeerClose() throws SSLException {
        boolean ours = outboundClosed;
        advance();
        return ours || !engine.isOutboundDone();
    }

    // --- plaintext in, records out ---------------------------------------------------------------------------

    /** Whether wrapped records wait to be written. */
    boolean hasNetOut() {
        return netOut != null && netOut.hasRemaining();
    }

    /** Whether nothing of ours waits: no records, no tasks, no clear-text prefix. */
    boolean outputIdle() {
        return !hasNetOut() && !taskPending && rawUntil == null;
    }

    boolean isOutboundClosed() {
        return outboundClosed;
    }

    /** Whether the socket should be watched for reading: not while tasks run, not after the peer's end. */
    boolean wantsRead(boolean paused) {
        return !taskPending && !inboundDone && !(handshakeDone && paused);
    }

    /** Whether the socket should be watched for writing. */
    boolean wantsWrite(WriteQueue queue) {
        return hasNetOut() || (queue.hasUnconsumed() && handshakeDone && !taskPending && !outboundClosed);
    }

    /**
     * One step of writing: the records held first, then, once they are all out, the messages whose plaintext
     * they carried are completed and more plaintext is wrapped.
     *
     * @return whether to call again: the socket took bytes, or more was wrapped
     */
    boolean flush(WriteQueue queue) throws IOException {
        if (flushing) {
            return false;
        }
        flushing = true;
        try {
            if (hasNetOut()) {
                long w = writeNetOut();
                if (hasNetOut()) {
                    return w > 0;
                }
            }
            queue.written(wrappedPlain);
            wrappedPlain = 0;
            queue.completeConsumed(conn);
            if (!handshakeDone || taskPending || outboundClosed || !queue.hasUnconsumed() || conn.isClosed()) {
                return false;
            }
            wrapQueued(queue);
            return true;
        } finally {
            flushing = false;
        }
    }

    /** Wraps queued plaintext into {@code netOut}, as many records as fit without growing it. */
    private void wrapQueued(WriteQueue queue) throws SSLException {
        int n = queue.gather(null);
        ByteBuffer[] g = queue.gathered();
        int off = 0;
        try {
            while (off < n && roomForRecord()) {
                SSLEngineResult r = wrap(g, off, n - off);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new SSLException("the TLS engine closed its outbound side with data queued");
                }
                wrappedPlain += r.bytesConsumed();
                while (off < n && !g[off].hasRemaining()) {
                    off++;
                }
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK
                        || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                    break;
                }
            }
        } finally {
            queue.clearGathered(n);
        }
        // A post-handshake message (a TLS 1.3 key update) may be due.
        advance();
    }

    private boolean roomForRecord() {
        return netOut == null || netOut.capacity() - netOut.remaining() >= packetSize();
    }

    /** Wraps {@code srcs[off..off+len)} into one record appended to {@code netOut}, growing it if it must. */
    private SSLEngineResult wrap(ByteBuffer[] srcs, int off, int len) throws SSLException {
        for (;;) {
            if (netOut == null) {
                netOut = BufferPool.localHeap().acquire(2 * packetSize());
            } else {
                netOut.compact();
            }
            SSLEngineResult r;
            try {
                r = engine.wrap(srcs, off, len, netOut);
            } finally {
                netOut.flip();
            }
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                return r;
            }
            ByteBuffer bigger = BufferPool.localHeap().acquire(Math.max(netOut.capacity() * 2,
                    netOut.remaining() + packetSize()));
            bigger.put(netOut).flip();
            BufferPool.localHeap().release(netOut);
            netOut = bigger;
        }
    }

    private long writeNetOut() throws IOException {
        if (netOut == null) {
            return 0;
        }
        long w = channel.write(netOut);
        if (w > 0) {
            conn.bytesWritten();
        }
        if (!netOut.hasRemaining()) {
            BufferPool.localHeap().release(netOut);
            netOut = null;
        }
        return w;
    }

    /** Closes the engine's outbound side and wraps its close_notify after what is wrapped already. */
    void closeOutbound() throws SSLException {
        if (outboundClosed) {
            return;
        }
        outboundClosed = true;
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            if (wrap(NOTHING, 0, 1).bytesProduced() == 0) {
                break;
            }
        }
    }

    /**
     * Wraps our close_notify (or, after a failure, the alert the engine made ready: RFC 8446 section 6.2 says a
     * fatal alert tells the peer why) and writes what the socket takes now, without waiting.
     */
    void sayGoodbye() {
        try {
            closeOutbound();
            writeNetOut();
        } catch (IOException | RuntimeException e) {
            log.debug("{}: could not send close_notify or alert", conn, e);
        }
    }

    /** The connection is gone: the handshake future fails if it had not completed, the buffers go back. */
    void release(Throwable why) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
        if (!handshake.isDone()) {
            handshake.completeExceptionally(why);
        }
        reading = null;
        if (netIn != null) {
            BufferPool.localHeap().release(netIn);
            netIn = null;
        }
        if (netOut != null) {
            BufferPool.localHeap().release(netOut);
            netOut = null;
        }
        wrappedPlain = 0;
    }

    private static ByteBuffer grow(ByteBuffer writeMode, int size) {
        ByteBuffer bigger = BufferPool.localHeap().acquire(size);
        writeMode.flip();
        bigger.put(writeMode);
        BufferPool.localHeap().release(writeMode);
        return bigger;
    }
}
