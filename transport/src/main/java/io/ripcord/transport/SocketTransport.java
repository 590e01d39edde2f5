package io.ripcord.transport;

import io.ripcord.core.Clock;
import io.ripcord.core.EventHandler;
import io.ripcord.core.EventPool;
import io.ripcord.core.PoolShutdownException;
import io.ripcord.core.Poller;
import io.ripcord.core.Slot;
import io.ripcord.core.Timer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream connection (GlusterFS's {@code socket.c} connection half): its lifecycle, its state and the events
 * it gives its listener. It is the {@link EventHandler} of its slot, so all its I/O runs on the owner poller:
 * poll-out (flush, or finish a connect) first, then poll-in (read). The work itself is done by its parts:
 *
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
 * <p>The states and what moves them are written down in {@code transport/README.md}; in short, {@link #state}
 * only moves forward: CONNECTING (client only) → OPEN → CLOSING (a requested close flushes) → CLOSED, with the
 * two halves of the stream (input shut by the peer, output shut by us) and the pauses of reading on the side.
 */
final class SocketTransport implements Transport, EventHandler, Runnable, WriteQueue.Completion {

    private static final Logger log = LoggerFactory.getLogger(SocketTransport.class);

    static final int CONNECTING = 0;
    static final int OPEN = 1;
    static final int CLOSING = 2;
    static final int CLOSED = 3;

    // A field updater rather than an AtomicInteger: an idle connection should cost as few objects as possible.
    private static final AtomicIntegerFieldUpdater<SocketTransport> REFS =
            AtomicIntegerFieldUpdater.newUpdater(SocketTransport.class, "refs");

    private final SocketChannel channel;
    private final TransportOptions options;
    private final WriteQueue queue = new WriteQueue();
    private final ReadPath reads;
    private volatile int refs = 1;
    /** CONNECTING, OPEN, CLOSING or CLOSED; only moves forward. Written by the owner, read anywhere. */
    private volatile int state;
    private volatile TransportListener listener;
    private volatile Slot slot;
    private volatile SocketAddress localAddress;
    private volatile SocketAddress remoteAddress;
    private volatile Object attachment;
    /** Read by {@link #tlsSession()} from any thread; set by the owner. */
    private volatile TlsStage tls;
    /** Tasks given to {@link #execute} before the slot existed; guarded by the channel's monitor. */
    private List<Runnable> preRegister;
    private Runnable onDisconnected;

    // Owner poller only.
    private Dialing dialing;
    private final Timeouts timeouts;
    private DisconnectCause cause;
    private Throwable error;
    private boolean registered;
    private boolean armedIn;
    private boolean armedOut;
    /** The peer shut its output (half-close allowed): no more reading. */
    private boolean inputShut;
    private boolean outputShutRequested;
    private boolean outputShut;
    private boolean userPaused;
    private boolean watermarkPaused;
    /** In {@link #flush()}: a flush reached from a listener it called returns at once; the outer one goes on. */
    private boolean flushing;

    /**
     * @param dialing for a client connection, its connect in progress; {@code null} for an accepted one
     * @param connecting the connect is still pending
     */
    SocketTransport(SocketChannel channel, TransportOptions options, Dialing dialing, boolean connecting) {
        this.channel = channel;
        this.options = options;
        this.dialing = dialing;
        this.reads = new ReadPath(options.decoder() == null ? null : options.decoder().get());
        this.timeouts = Timeouts.of(this, options);
        this.state = connecting ? CONNECTING : OPEN;
        if (options.tls() != null) {
            this.tls = new TlsStage(this, channel, options.tls(), new CompletableFuture<>());
        }
        try {
            this.localAddress = channel.getLocalAddress();
            this.remoteAddress = channel.getRemoteAddress();
        } catch (IOException e) {
            log.debug("could not read the addresses of {}", channel, e);
        }
    }

    void listener(TransportListener l) {
        this.listener = l;
    }

    void onDisconnected(Runnable r) {
        this.onDisconnected = r;
    }

    /** Registers the channel; the transport's first task on its owner starts it. */
    Slot register(EventPool pool, Poller poller) throws IOException {
        boolean connecting = state == CONNECTING;
        // Taken before the owner can see the slot: it may connect, and drop its Dialing, before we arm the timer.
        Dialing d = dialing;
        Slot s = pool.register(channel, this, !connecting, connecting, poller);
        List<Runnable> early;
        synchronized (channel) { // preRegister; the JDK locks its own objects, never the channel
            slot = s;
            early = preRegister;
            preRegister = null;
        }
        s.execute(this::onRegistered);
        if (early != null) {
            for (Runnable r : early) {
                s.execute(r);
            }
        }
        if (connecting && options.connectTimeout().toNanos() > 0) {
            // Armed late, the timer finds the connection connected and does nothing.
            d.timer(s.schedule(this::connectTimedOut, options.connectTimeout().toNanos(), TimeUnit.NANOSECONDS));
        }
        return s;
    }

    // --- Transport: any thread ----------------------------------------------------------------------------

    @Override
    public void send(ByteBuffer message, Object context) {
        int len = message.remaining();
        if (state >= CLOSING) {
            message.position(message.limit());
            return;
        }
        Slot s = slot;
        if (s != null && s.inPoller() && registered) {
            if (tls == null && state == OPEN && !reads.isBatching() && !queue.hasQueued() && !queue.hasInbox()
                    && !outputShutRequested) {
                try {
                    writeInline(message);
                } catch (IOException e) {
                    failNow(DisconnectCause.RESET, e);
                    return;
                }
                if (!message.hasRemaining()) {
                    listener.onMessageSent(this, context);
                    return;
                }
                len = message.remaining();
            }
            queue.count(len);
            queue.add(Outbound.pooledCopy(message, context, buffers()));
            updateWritability();
            if (!armedOut && !reads.isBatching() && state != CONNECTING) {
                flush();
            }
            return;
        }
        queue.count(len);
        if (queue.handOff(Outbound.heapCopy(message, context))) {
            execute(this);
        }
        if (state == CLOSED) {
            // The connection may have ended between the check above and the hand-off: nothing will drain it.
            queue.dropInbox();
        }
    }

    /**
     * The drain task the first hand-off from another thread schedules on the owner. The transport is its own
     * task so that an idle connection does not keep a task object of its own.
     */
    @Override
    public void run() {
        queue.drainStarted();
        if (!registered || state == CONNECTING) {
            return;
        }
        queue.takeInbox();
        updateWritability();
        if (!armedOut) {
            flush();
        }
    }

    @Override
    public void close() {
        onOwner(() -> {
            if (state == CONNECTING) {
                failNow(DisconnectCause.LOCAL_CLOSE, null);
            } else if (state == OPEN) {
                state = CLOSING;
                queue.takeInbox();
                // Flushed now unless a poll-out is due anyway: then that flush ends the connection.
                if (tls != null || !queue.hasQueued() || !armedOut) {
                    flush(); // writes the queue (then a close_notify), then closes
                }
            }
        });
    }

    @Override
    public void abort() {
        onOwner(() -> failNow(DisconnectCause.LOCAL_CLOSE, null));
    }

    @Override
    public void shutdownOutput() {
        onOwner(() -> {
            if (state != OPEN || outputShutRequested) {
                return;
            }
            outputShutRequested = true;
            queue.takeInbox();
            if (tls != null || !queue.hasQueued() || !armedOut) {
                flush(); // writes the queue (then a close_notify), then shuts the output
            }
        });
    }

    @Override
    public void pauseReading() {
        onOwner(() -> {
            userPaused = true;
            updateInterest();
        });
    }

    @Override
    public void resumeReading() {
        onOwner(() -> {
            if (userPaused) {
                userPaused = false;
                resumeAfterPause();
            }
        });
    }

    @Override
    public CompletableFuture<Transport> startTls(TlsOptions tlsOptions) {
        Objects.requireNonNull(tlsOptions, "tlsOptions");
        CompletableFuture<Transport> done = new CompletableFuture<>();
        if (state >= CLOSING) {
            done.completeExceptionally(new IllegalStateException(this + " is closed; TLS cannot start"));
            return done;
        }
        onOwner(() -> beginTls(tlsOptions, done));
        if (state == CLOSED) {
            // It closed while the task was queued, which is then dropped; if the task ran, this changes nothing.
            done.completeExceptionally(new IllegalStateException(this + " is closed; TLS cannot start"));
        }
        return done;
    }

    @Override
    public SSLSession tlsSession() {
        TlsStage t = tls;
        return t == null ? null : t.session();
    }

    @Override
    public UnixDomainPrincipal peerCredentials() {
        if (!channel.supportedOptions().contains(ExtendedSocketOptions.SO_PEERCRED)) {
            return null;
        }
        try {
            return channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        } catch (IOException e) {
            log.debug("{}: no peer credentials: {}", this, e.toString());
            return null;
        }
    }

    @Override
    public boolean isWritable() {
        return queue.isWritable();
    }

    @Override
    public long queuedBytes() {
        return queue.queuedBytes();
    }

    @Override
    public boolean isOpen() {
        return state == OPEN;
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public Poller poller() {
        Slot s = slot;
        return s == null ? null : s.poller();
    }

    @Override
    public boolean inPoller() {
        Slot s = slot;
        return s != null && s.inPoller();
    }

    @Override
    public void execute(Runnable task) {
        Slot s = slot;
        if (s == null) {
            synchronized (channel) { // preRegister; the JDK locks its own objects, never the channel
                s = slot;
                if (s == null) {
                    if (preRegister == null) {
                        preRegister = new ArrayList<>();
                    }
                    preRegister.add(task);
                    return;
                }
            }
        }
        try {
            s.execute(task);
        } catch (PoolShutdownException e) {
            log.debug("{}: task dropped, the pool is shutting down", this);
        }
    }

    @Override
    public void retain() {
        int r;
        do {
            r = refs;
            if (r <= 0) {
                throw new IllegalStateException(this + " was already cleaned up");
            }
        } while (!REFS.compareAndSet(this, r, r + 1));
    }

    @Override
    public void release() {
        int r = REFS.decrementAndGet(this);
        if (r == 0) {
            TransportListener l = listener;
            if (l != null) {
                try {
                    l.onCleanup(this);
                } catch (RuntimeException e) {
                    log.warn("{}: onCleanup threw", this, e);
                }
            }
        } else if (r < 0) {
            throw new IllegalStateException(this + " released more often than retained");
        }
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object value) {
        this.attachment = value;
    }

    @Override
    public String toString() {
        return "Transport[" + localAddress + " <-> " + remoteAddress + "]";
    }

    // --- EventHandler: the owner poller --------------------------------------------------------------------

    @Override
    public void handle(Slot s, boolean pollIn, boolean pollOut, boolean pollErr) throws Exception {
        if (pollErr) {
            onFinal(s);
            return;
        }
        if (!registered) {
            // The owner registered the channel and found it ready before register() returned to its caller
            // (or before our first task ran): adopt the slot now.
            if (slot == null) {
                synchronized (channel) { // preRegister; the JDK locks its own objects, never the channel
                    if (slot == null) {
                        slot = s;
                    }
                }
            }
            onRegistered();
        }
        if (pollOut) {
            if (state == CONNECTING) {
                finishConnect();
            } else {
                flush();
            }
        }
        if (pollIn) {
            read();
        }
    }

    private void onRegistered() {
        if (registered || state == CLOSED) {
            return;
        }
        registered = true;
        // What the slot was registered with (see register()).
        boolean connecting = state == CONNECTING;
        armedIn = !connecting;
        armedOut = connecting;
        if (connecting) {
            return;
        }
        if (dialing != null) {
            connected(); // the connect completed at once
            return;
        }
        if (timeouts != null) {
            timeouts.start();
        }
        if (tls != null) {
            startHandshake();
        } else {
            run();
        }
    }

    private void finishConnect() {
        boolean done;
        try {
            done = channel.finishConnect();
        } catch (IOException e) {
            failNow(DisconnectCause.RESET, e);
            return;
        }
        if (done) {
            state = OPEN;
            connected();
        }
    }

    private void connected() {
        dialing.cancelTimer();
        try {
            localAddress = channel.getLocalAddress();
            remoteAddress = channel.getRemoteAddress();
        } catch (IOException e) {
            log.debug("{}: could not read addresses", this, e);
        }
        if (timeouts != null) {
            timeouts.start();
        }
        if (tls != null) {
            startHandshake(); // CONNECT (and the connect future) wait for the handshake: see tlsHandshakeDone
            return;
        }
        notifyConnected();
        run();
        updateInterest();
    }

    private void notifyConnected() {
        Dialing d = dialing;
        dialing = null;
        listener.onConnect(this);
        d.connected(this);
    }

    private void connectTimedOut() {
        if (state == CONNECTING) {
            failNow(DisconnectCause.TIMEOUT, new ConnectException("connect to " + peerForMessages()
                    + " timed out after " + options.connectTimeout().toMillis() + " ms"));
        }
    }

    /** The peer for messages: the address asked for while a connect is in progress, else the remote one. */
    Object peerForMessages() {
        Dialing d = dialing;
        return d != null ? d.target : remoteAddress;
    }

    // --- reading (the read path calls back here) ------------------------------------------------------------

    private void read() throws Exception {
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

    TlsStage tls() {
        return tls;
    }

    TransportOptions options() {
        return options;
    }

    int readBufferSize() {
        return options.readBufferSize();
    }

    /** The poller's buffers for this connection: direct for plain sockets, heap for TLS (see BufferPool). */
    BufferPool buffers() {
        return tls == null ? BufferPool.local() : BufferPool.localHeap();
    }

    /** Whether the read path may read now. The handshake reads on while the user pauses: only data waits. */
    boolean canRead() {
        return state < CLOSED && !inputShut && !(readPaused() && (tls == null || tls.isHandshakeDone()));
    }

    boolean canDeliver() {
        return state <= CLOSING;
    }

    boolean readPaused() {
        return userPaused || watermarkPaused;
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
    private void peerSentCloseNotify(TlsStage t) {
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

    private void onEof() {
        if (options.allowHalfClose() && state == OPEN) {
            inputShutdown();
        } else {
            failNow(DisconnectCause.EOF, null);
        }
    }

    private void inputShutdown() {
        inputShut = true;
        updateInterest();
        listener.onInputShutdown(this);
        if (outputShut) {
            failNow(DisconnectCause.EOF, null);
        }
    }

    private void resumeAfterPause() {
        if (readPaused() || state > CLOSING) {
            return;
        }
        if (!reads.isReading()) {
            // Not inside a read (which delivers the rest itself once it unwinds): deliver what the pause held
            // back now, since no poll-in will come for bytes already read.
            try {
                reads.drain(this);
            } catch (SSLException e) {
                tlsFailed(e);
                return;
            } catch (Exception e) {
                failNow(DisconnectCause.PROTOCOL, e);
                return;
            }
            if (state == CLOSED) {
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

    // --- writing ----------------------------------------------------------------------------------------------

    private void writeInline(ByteBuffer message) throws IOException {
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
    private void flush() {
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

    private void writeQueued() throws IOException {
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
            queue.completeConsumed(this);
            if (upTo != null && !upTo.buf.hasRemaining()) {
                t.rawUntil = null; // the clear-text part is out: records follow
            } else if (w == 0) {
                return;
            }
        }
    }

    private void doShutdownOutput() {
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

    private void updateWritability() {
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

    private void updateInterest() {
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

    // --- TLS (the stage calls back here) --------------------------------------------------------------------

    private void startHandshake() {
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
    private void beginTls(TlsOptions tlsOptions, CompletableFuture<Transport> done) {
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
        queue.takeInbox();
        t.rawUntil = queue.hasUnconsumed() ? queue.last() : null;
        tls = t;
        log.debug("{}: starting TLS ({} side)", this, tlsOptions.isClient() ? "client" : "server");
        startHandshake();
    }

    /** The handshake is done: a client connection that waited for it is now CONNECTed. */
    void tlsHandshakeDone() {
        if (dialing != null && state == OPEN) {
            notifyConnected();
        }
    }

    /** The stage's delegated tasks are done: unwrap what waited for them and write what they let out. */
    void tlsResumed() {
        try {
            reads.drain(this);
        } catch (SSLException e) {
            tlsFailed(e);
            return;
        } catch (Exception e) {
            failNow(causeOf(e), e);
            return;
        }
        if (state == CLOSED) {
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

    // --- timeouts (Timeouts calls back here) ----------------------------------------------------------------

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

    // --- the end ------------------------------------------------------------------------------------------

    /** Closes at once on the owner with {@code why}; the pool then makes the one final pollErr call. */
    private void failNow(DisconnectCause why, Throwable err) {
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

    private void onFinal(Slot s) {
        state = CLOSED;
        if (timeouts != null) {
            timeouts.cancel();
        }
        reads.release();
        queue.clear();
        DisconnectCause why = cause;
        Throwable err = error;
        if (why == null) {
            err = s.failure();
            why = causeOf(err);
        }
        TlsStage t = tls;
        if (t != null) {
            t.release(err != null ? err : new SSLException("the connection ended (" + why + ") before the TLS "
                    + "handshake finished"));
        }
        Dialing d = dialing;
        if (d != null) {
            // A connection that never connected (or whose TLS handshake failed) is no connection: no DISCONNECT.
            dialing = null;
            d.failed(err, why);
            release();
            return;
        }
        // One line per disconnect, with its cause, at DEBUG: per-connection events are noise at a server's scale,
        // and a hostile peer must not be able to flood the log by opening connections. Only a protocol violation,
        // which points at a broken or hostile client, is logged at INFO.
        if (why == DisconnectCause.PROTOCOL) {
            log.info("{} disconnected: {}: {}", this, why, String.valueOf(err));
        } else if (err != null) {
            log.debug("{} disconnected: {}: {}", this, why, String.valueOf(err));
        } else {
            log.debug("{} disconnected: {}", this, why);
        }
        try {
            listener.onDisconnect(this, why, err);
        } finally {
            Runnable r = onDisconnected;
            if (r != null) {
                r.run();
            }
            release();
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

    private void onOwner(Runnable r) {
        Slot s = slot;
        if (s != null && s.inPoller() && registered) {
            r.run();
        } else {
            execute(r);
        }
    }
}
