package io.ripcord.transport;

import io.ripcord.core.Slot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;

/**
 * What a stream connection's owner poller does with its socket: reads (through its {@link ReadPath}, which calls
 * back here), the end of the input, writes (its {@link WriteQueue} to the socket or through its
 * {@link TlsStage}), the interest it asks the selector for, and the TLS stage's and the timeouts' calls back. The
 * lifecycle around it (registration, connect, close, the final DISCONNECT) is {@link SocketTransport}'s.
 *
 * <p>Thread rules: owner poller only.
 */
abstract class ConnectionIo extends Connection implements WriteQueue.Completion {

    final ReadPath reads;
    final Timeouts timeouts;
    /** Read by {@code tlsSession()} from any thread; set by the owner. */
    volatile TlsStage tls;
    /** In {@link #flush()}: a flush reached from a listener it called returns at once; the outer one goes on. */
    boolean flushing;

    ConnectionIo(SocketChannel channel, TransportOptions options, Dialing dialing, boolean connecting) {
        super(channel, options, dialing, connecting);
        this.reads = new ReadPath(options.decoder() == null ? null : options.decoder().get());
        this.timeouts = Timeouts.of(this, options);
        if (options.tls() != null) {
            this.tls = new TlsStage(this, channel, options.tls(), new CompletableFuture<>());
            queue(); // TLS queues every message it sends
        }
    }

    /** The handshake is done: a client connection that waited for it is now CONNECTed. */
    abstract void tlsHandshakeDone();

    // --- interest and buffers ------------------------------------------------------------------------------

    void updateInterest() {
        Slot s = slot;
        if (s == null || !registered || state == CLOSED) {
            return;
        }
        TlsStage t = tls;
        boolean in = state != CONNECTING && !inputShut && (t == null ? !readPaused() : t.wantsRead(readPaused()));
        boolean out = state == CONNECTING || (t == null ? queue.hasQueued() : t.wantsWrite(queue));
        if (in != armedIn || out != armedOut) {
            armedIn = in;
            armedOut = out;
            s.selectOn(in, out);
        }
    }

    /** The poller's buffers for this connection: direct for plain sockets, heap for TLS (see BufferPool). */
    BufferPool buffers() {
        return tls == null ? BufferPool.local() : BufferPool.localHeap();
    }

    TlsStage tls() {
        return tls;
    }

    // --- reading (the read path calls back here) -----------------------------------------------------------

    void read() throws Exception {
        try {
            reads.read(this);
        } catch (SSLException e) {
            tlsFailed(e);
            return;
        }
        if (tls != null && state < CLOSED) {
            // Handshake messages, a close_notify answer, and what the listener sent for this wakeup's records:
            // wrapped and written together.
            flush();
        }
        if (timeouts != null) {
            timeouts.trackPartialFrame();
        }
    }

    /** Whether the read path may read now. The handshake reads on while the user pauses: only data waits. */
    boolean canRead() {
        return state < CLOSED && !inputShut && !(readPaused() && (tls == null || tls.isHandshakeDone()));
    }

    boolean canDeliver() {
        return state <= CLOSING;
    }

    /** Reads into {@code buf}: from the socket, or as plaintext from the TLS stage. */
    int fill(ByteBuffer buf, boolean fromSocket) throws IOException {
        TlsStage t = tls;
        if (t != null) {
            return t.read(buf, fromSocket);
        }
        int n = channel.read(buf);
        if (n > 0) {
            bytesRead();
        }
        return n;
    }

    void deliver(ByteBuffer message) throws Exception {
        listener.onMessage(this, message);
    }

    /**
     * One read's frames are delivered: write what the listener sent meanwhile in one write. A TLS connection
     * waits for the end of the wakeup instead ({@link #read()}), to wrap it all in as few records as it fills.
     */
    void batchDelivered() {
        if (tls == null && queue.hasQueued() && !armedOut && state <= CLOSING) {
            flush();
        }
    }

    void bytesRead() {
        if (timeouts != null) {
            timeouts.read();
        }
    }

    void bytesWritten() {
        if (timeouts != null) {
            timeouts.wrote();
        }
    }

    /** Part of a frame is held: undecoded bytes, the decoder's reassembly, or an incomplete TLS record. */
    boolean holdsPartialFrame() {
        TlsStage t = tls;
        return reads.hasPartialFrame() || (t != null && t.hasPartialRecord());
    }

    /** The end of input: the socket's end of stream, or the peer's close_notify. */
    void endOfStream() {
        TlsStage t = tls;
        if (t != null && t.closeNotifyReceived()) {
            peerSentCloseNotify(t);
            return;
        }
        SSLException truncated = t == null ? null : t.truncation();
        if (truncated != null && !(options.allowHalfClose() && state == OPEN)) {
            failNow(DisconnectCause.EOF, truncated);
            return;
        }
        onEof();
    }

    /** The peer's close_notify: its orderly end of stream, which with half-close allowed leaves us writing. */
    void peerSentCloseNotify(TlsStage t) {
        if (options.allowHalfClose() && state == OPEN && t.isHandshakeDone()) {
            try {
                if (t.outputSurvivesPeerClose()) {
                    inputShutdown();
                    return;
                }
            } catch (SSLException e) {
                tlsFailed(e);
                return;
            }
        }
        t.sayGoodbye();
        failNow(DisconnectCause.EOF, null);
    }

    void onEof() {
        if (options.allowHalfClose() && state == OPEN) {
            inputShutdown();
        } else {
            failNow(DisconnectCause.EOF, null);
        }
    }

    void inputShutdown() {
        inputShut = true;
        updateInterest();
        listener.onInputShutdown(this);
        if (outputShut) {
            failNow(DisconnectCause.EOF, null);
        }
    }

    /**
     * Delivers what earlier reads left (held back by a pause, or records waiting for delegated tasks).
     *
     * @return whether the connection is still open
     */
    private boolean drainHeldBack() {
        try {
            reads.drain(this);
        } catch (SSLException e) {
            tlsFailed(e);
            return false;
        } catch (Exception e) {
            failNow(causeOf(e), e);
            return false;
        }
        return state != CLOSED;
    }

    void resumeAfterPause() {
        if (readPaused() || state > CLOSING) {
            return;
        }
        if (!reads.isReading()) {
            // Not inside a read (which delivers the rest itself once it unwinds): deliver what the pause held
            // back now, since no poll-in will come for bytes already read.
            if (!drainHeldBack()) {
                return;
            }
            if (timeouts != null) {
                timeouts.trackPartialFrame();
            }
            TlsStage t = tls;
            if (t != null && t.hasNetOut()) {
                flush();
                return;
            }
        }
        updateInterest();
    }

    // --- writing -------------------------------------------------------------------------------------------

    void writeInline(ByteBuffer message) throws IOException {
        int spins = options.maxWriteSpins();
        long w = 0;
        while (message.hasRemaining() && spins-- > 0) {
            int n = channel.write(message);
            if (n == 0) {
                break;
            }
            w += n;
        }
        if (w > 0) {
            bytesWritten();
        }
    }

    /** MSG_SENT: the write queue completed a message whose bytes are on the wire. */
    @Override
    public void written(Object context) {
        listener.onMessageSent(this, context);
    }

    /**
     * Writes what is queued, at most {@link TransportOptions#maxWriteSpins()} times; once the queue is empty, a
     * requested close or output shutdown happens (after a close_notify on TLS).
     */
    void flush() {
        if (state == CONNECTING || state == CLOSED || flushing) {
            return;
        }
        flushing = true;
        try {
            queue.takeInbox();
            writeQueued();
        } catch (SSLException e) {
            tlsFailed(e);
            return;
        } catch (IOException e) {
            failNow(DisconnectCause.RESET, e);
            return;
        } finally {
            flushing = false;
        }
        if (state == CLOSED) {
            return;
        }
        updateWritability();
        if (state == CLOSED) {
            return;
        }
        TlsStage t = tls;
        if (!queue.hasQueued() && (t == null || t.outputIdle())
                && (state == CLOSING || (outputShutRequested && !outputShut))) {
            if (t != null && !t.isOutboundClosed()) {
                try {
                    t.closeOutbound();
                } catch (SSLException e) {
                    tlsFailed(e);
                    return;
                }
                flush(); // once more, to write the close_notify; it comes back here with the outbound closed
                return;
            }
            if (state == CLOSING) {
                failNow(DisconnectCause.LOCAL_CLOSE, null);
                return;
            }
            doShutdownOutput();
            if (state == CLOSED) {
                return;
            }
        }
        updateInterest();
    }

    void writeQueued() throws IOException {
        int spins = options.maxWriteSpins();
        while (spins-- > 0 && state < CLOSED) {
            TlsStage t = tls;
            if (t != null && t.rawUntil == null) {
                if (!t.flush(queue)) {
                    return;
                }
                continue;
            }
            // Plaintext on the wire: a plain connection, or what was queued before TLS started on this one.
            if (!queue.hasUnconsumed()) {
                return;
            }
            Outbound upTo = t == null ? null : t.rawUntil;
            long w = queue.writeTo(channel, upTo);
            if (w > 0) {
                queue.written(w);
                bytesWritten();
            }
            // Read before the completions release (and may reuse) the holder of the last clear-text message.
            boolean clearTextOut = upTo != null && !upTo.buf.hasRemaining();
            queue.completeConsumed(this);
            if (clearTextOut) {
                t.rawUntil = null; // the clear-text part is out: records follow
            } else if (w == 0) {
                return;
            }
        }
    }

    void doShutdownOutput() {
        try {
            channel.shutdownOutput();
            outputShut = true;
        } catch (IOException e) {
            failNow(DisconnectCause.RESET, e);
            return;
        }
        if (inputShut) {
            failNow(DisconnectCause.EOF, null);
        }
    }

    void updateWritability() {
        if (!queue.crossedWatermark(options.writeLowWatermark(), options.writeHighWatermark())) {
            return;
        }
        boolean writable = queue.isWritable();
        listener.onWritabilityChanged(this, writable);
        if (!writable && options.pauseReadingWhenUnwritable()) {
            watermarkPaused = true;
            updateInterest();
        } else if (writable && watermarkPaused) {
            watermarkPaused = false;
            resumeAfterPause();
        }
    }

    // --- TLS (the stage calls back here) -------------------------------------------------------------------

    void startHandshake() {
        try {
            tls.begin();
        } catch (SSLException e) {
            tlsFailed(e);
            return;
        }
        flush();
    }

    /**
     * {@link #startTls} on the owner: from here on, bytes read and not yet delivered are the peer's records;
     * what was queued before goes out in the clear first.
     */
    void beginTls(TlsOptions tlsOptions, CompletableFuture<Transport> done) {
        if (tls != null) {
            done.completeExceptionally(new IllegalStateException(this + " runs TLS already"));
            return;
        }
        if (state != OPEN || inputShut || outputShutRequested) {
            done.completeExceptionally(new IllegalStateException(this + " is not open both ways; TLS cannot start"));
            return;
        }
        if (!reads.isBatching() && reads.hasPartialFrame()) {
            done.completeExceptionally(new IllegalStateException(this + " holds part of a plaintext frame; start "
                    + "TLS from the listener, right after the last plaintext message"));
            return;
        }
        TlsStage t = new TlsStage(this, channel, tlsOptions, done);
        queue(); // TLS queues every message it sends
        queue.takeInbox();
        t.rawUntil = queue.hasUnconsumed() ? queue.last() : null;
        tls = t;
        log.debug("{}: starting TLS ({} side)", this, tlsOptions.isClient() ? "client" : "server");
        startHandshake();
    }

    /** The stage's delegated tasks are done: unwrap what waited for them and write what they let out. */
    void tlsResumed() {
        if (!drainHeldBack()) {
            return;
        }
        flush();
        if (timeouts != null) {
            timeouts.trackPartialFrame();
        }
    }

    /** A TLS failure: the peer hears the alert the engine made, if it can be written at once; cause PROTOCOL. */
    void tlsFailed(SSLException e) {
        if (state == CLOSED) {
            return;
        }
        tls.sayGoodbye();
        failNow(DisconnectCause.PROTOCOL, e);
    }

    void tlsTimedOut(SSLException e) {
        if (state < CLOSED) {
            failNow(DisconnectCause.TIMEOUT, e);
        }
    }

    // --- timeouts (Timeouts calls back here) ---------------------------------------------------------------

    /** An idle timeout expired; returns whether the connection closed for it. */
    boolean idle(IdleState which) {
        if (listener.onIdle(this, which)) {
            failNow(DisconnectCause.TIMEOUT, null);
            return true;
        }
        return false;
    }

    void frameTimedOut(FrameException e) {
        failNow(DisconnectCause.TIMEOUT, e);
    }
}
