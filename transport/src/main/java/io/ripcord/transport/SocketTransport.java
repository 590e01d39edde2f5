package io.ripcord.transport;

import io.ripcord.core.EventHandler;
import io.ripcord.core.EventPool;
import io.ripcord.core.PoolShutdownException;
import io.ripcord.core.Poller;
import io.ripcord.core.Slot;
import io.ripcord.core.Timer;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream connection: GlusterFS's {@code socket.c} connection half. It is the {@link EventHandler} of its
 * slot, so all its I/O runs on the owner poller: poll-out (flush the queue, or finish a connect) first, then
 * poll-in (read, decode, deliver).
 *
 * <p>With {@link TransportOptions#tls()} set it also owns a {@link TlsSession}: reads unwrap into plaintext
 * before decoding, the write queue holds plaintext that {@link #flush()} wraps lazily once the handshake is
 * done, and {@code close()} writes a close_notify after the queue. Without TLS none of that runs: the plain
 * path only tests {@code tls == null}.
 */
final class SocketTransport implements Transport, EventHandler, Runnable, WriteQueue.Completion {

    private static final Logger log = LoggerFactory.getLogger(SocketTransport.class);

    private static final int CONNECTING = 0;
    private static final int OPEN = 1;
    private static final int CLOSING = 2;
    private static final int CLOSED = 3;

    private final SocketChannel channel;
    private final TransportOptions options;
    private final FrameDecoder decoder;
    private final TlsSession tls;
    private final boolean client;
    // A field updater rather than an AtomicInteger: an idle connection should cost as few objects as possible.
    private static final AtomicIntegerFieldUpdater<SocketTransport> REFS =
            AtomicIntegerFieldUpdater.newUpdater(SocketTransport.class, "refs");
    private final WriteQueue queue = new WriteQueue();
    private volatile int refs = 1;
    private List<Runnable> preRegister;
    private volatile TransportListener listener;
    private volatile Slot slot;
    private volatile int state;
    private volatile SocketAddress localAddress;
    private volatile SocketAddress remoteAddress;
    private volatile Object attachment;
    private Runnable onDisconnected;

    // Owner-only state.
    private ByteBuffer leftover;
    private boolean armedIn;
    private boolean armedOut;
    private boolean userPaused;
    private boolean watermarkPaused;
    private boolean inputShut;
    private boolean outputShutRequested;
    private boolean outputShut;
    private boolean registered;
    /** While one read's frames are being delivered: sends queue up and go out in one gathering write after. */
    private boolean batching;
    /** Inside read() or a drain of held-back frames: a resume then leaves the delivering to that code. */
    private boolean reading;
    /** A pause stopped delivery with frames still in the buffer. */
    private boolean interrupted;
    private DisconnectCause cause;
    private Throwable error;
    private long lastReadNanos;
    private long lastWriteNanos;
    private Timer idleTimer;
    /** Runs while a partial frame is buffered and a frame timeout is set; see {@link #trackPartialFrame()}. */
    private Timer frameTimer;
    private boolean partialFrame;
    private long partialFrameSinceNanos;
    private Timer connectTimer;
    private CompletableFuture<Transport> connectFuture;
    // Owner-only TLS state (unused without TLS).
    private Timer handshakeTimer;
    private boolean unwrapping;
    private boolean flushingTls;

    /**
     * @param connecting the connect is still pending
     * @param client     this side connected (a {@link Connector}), rather than accepted: the TLS client side
     */
    SocketTransport(SocketChannel channel, TransportOptions options, boolean connecting, boolean client) {
        this.channel = channel;
        this.options = options;
        this.client = client;
        this.decoder = options.decoder() == null ? null : options.decoder().get();
        this.tls = options.tls() == null ? null : new TlsSession(options.tls(), client);
        this.state = connecting ? CONNECTING : OPEN;
        try {
            this.localAddress = channel.getLocalAddress();
            this.remoteAddress = channel.getRemoteAddress();
        } catch (IOException e) {
            log.debug("could not read the addresses of {}", channel, e);
        }
        long now = System.nanoTime();
        this.lastReadNanos = now;
        this.lastWriteNanos = now;
    }

    void listener(TransportListener l) {
        this.listener = l;
    }

    void onDisconnected(Runnable r) {
        this.onDisconnected = r;
    }

    void connectFuture(CompletableFuture<Transport> f) {
        this.connectFuture = f;
    }

    /** Registers the channel; the transport's first task on its owner starts it. */
    Slot register(EventPool pool, Poller poller) throws IOException {
        boolean connecting = state == CONNECTING;
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
            connectTimer = s.schedule(this::connectTimedOut, options.connectTimeout().toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        return s;
    }

    // --- Transport ----------------------------------------------------------------------------------------

    @Override
    public void send(ByteBuffer message, Object context) {
        int len = message.remaining();
        if (state >= CLOSING) {
            message.position(message.limit());
            return;
        }
        Slot s = slot;
        if (s != null && s.inPoller() && registered) {
            if (tls == null && state == OPEN && !batching && !queue.hasQueued() && !queue.hasInbox()
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
            if (!armedOut && !batching && state != CONNECTING) {
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
     * The flush task other threads' sends schedule on the owner. The transport is its own task so that an idle
     * connection does not keep a task object of its own.
     */
    @Override
    public void run() {
        flushFromQueue();
    }

    @Override
    public void close() {
        onOwner(() -> {
            if (state == OPEN || state == CONNECTING) {
                if (state == CONNECTING) {
                    failNow(DisconnectCause.LOCAL_CLOSE, null);
                    return;
                }
                state = CLOSING;
                queue.takeInbox();
                if (tls != null) {
                    // flushTls() writes the queue, then a close_notify, then closes.
                    flush();
                } else if (!queue.hasQueued()) {
                    failNow(DisconnectCause.LOCAL_CLOSE, null);
                } else if (!armedOut) {
                    flush();
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
            if (tls != null) {
                flush();
            } else if (!queue.hasQueued()) {
                doShutdownOutput();
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

    // --- EventHandler: runs on the owner -----------------------------------------------------------------

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
            trackPartialFrame();
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
        if (connectFuture != null) {
            connected();
        } else {
            startIdleTimer();
            if (tls != null) {
                tlsStart();
            } else {
                flushFromQueue();
            }
        }
    }

    private void finishConnect() throws IOException {
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
        if (connectTimer != null) {
            connectTimer.cancel();
            connectTimer = null;
        }
        try {
            localAddress = channel.getLocalAddress();
            remoteAddress = channel.getRemoteAddress();
        } catch (IOException e) {
            log.debug("{}: could not read addresses", this, e);
        }
        lastReadNanos = lastWriteNanos = System.nanoTime();
        if (tls != null) {
            // CONNECT (and the connect future) wait for the handshake: see handshakeFinished().
            startIdleTimer();
            tlsStart();
            return;
        }
        notifyConnected();
        startIdleTimer();
        flushFromQueue();
        updateInterest();
    }

    private void notifyConnected() {
        listener.onConnect(this);
        CompletableFuture<Transport> f = connectFuture;
        if (f != null) {
            f.complete(this);
        }
    }

    private void connectTimedOut() {
        if (state == CONNECTING) {
            failNow(DisconnectCause.TIMEOUT, new java.net.ConnectException("connect to " + remoteAddressForError()
                    + " timed out after " + options.connectTimeout().toMillis() + " ms"));
        }
    }

    private Object remoteAddressForError() {
        return attachmentAddress != null ? attachmentAddress : remoteAddress;
    }

    private SocketAddress attachmentAddress;

    void target(SocketAddress address) {
        this.attachmentAddress = address;
    }

    private void read() throws Exception {
        if (tls != null) {
            readTls();
            return;
        }
        reading = true;
        try {
            readLoop();
        } finally {
            reading = false;
        }
    }

    private void readLoop() throws Exception {
        int reads = options.maxReadsPerWakeup();
        for (int i = 0; i < reads; i++) {
            if (state >= CLOSED || inputShut || readPaused()) {
                return;
            }
            ByteBuffer buf;
            boolean scratch;
            if (leftover != null) {
                if (!leftover.hasRemaining()) {
                    growLeftover();
                }
                buf = leftover;
                scratch = false;
            } else {
                buf = buffers().scratch(options.readBufferSize());
                scratch = true;
            }
            int space = buf.remaining();
            int n = channel.read(buf);
            if (n < 0) {
                if (!scratch) {
                    leftover.flip();
                    deliverBatch(leftover);
                    keepRest(leftover, false);
                }
                onEof();
                return;
            }
            if (n == 0) {
                if (!scratch && leftover.position() == 0) {
                    buffers().release(leftover);
                    leftover = null;
                }
                return;
            }
            lastReadNanos = System.nanoTime();
            buf.flip();
            deliverBatch(buf);
            keepRest(buf, scratch);
            drainLeftover();
            if (n < space) {
                return;
            }
        }
    }

    /**
     * Delivers the frames in {@code buf}; replies sent meanwhile on this poller are queued and leave in one
     * gathering write afterwards, so pipelined requests cost one write for their replies, not one each.
     */
    private void deliverBatch(ByteBuffer buf) throws Exception {
        if (decoder == null) {
            // Raw bytes are one message per read: nothing to batch, and an inline write copies nothing.
            deliver(buf);
            return;
        }
        batching = true;
        try {
            deliver(buf);
        } finally {
            batching = false;
            // Also when a bad frame is about to end the connection: the answers to the good frames before it
            // leave first (best effort, what the socket takes now), as they would have in an earlier read.
            if (queue.hasQueued() && !armedOut && state <= CLOSING) {
                flush();
            }
        }
    }

    /** Delivers frames left in the connection's buffer when a pause interrupted them and has since ended. */
    private void drainLeftover() throws Exception {
        while (interrupted && !readPaused() && leftover != null && state <= CLOSING) {
            interrupted = false;
            leftover.flip();
            deliverBatch(leftover);
            keepRest(leftover, false);
        }
    }

    private void deliver(ByteBuffer buf) throws Exception {
        if (decoder == null) {
            if (buf.hasRemaining()) {
                listener.onMessage(this, buf);
                buf.position(buf.limit());
            }
            return;
        }
        while (buf.hasRemaining() && state <= CLOSING) {
            if (readPaused()) {
                interrupted = true;
                return;
            }
            ByteBuffer frame = decoder.decode(buf);
            if (frame == null) {
                return;
            }
            listener.onMessage(this, frame);
        }
    }

    /** Keeps what a read left undecoded (a partial frame) in this connection's own buffer. */
    private void keepRest(ByteBuffer buf, boolean scratch) {
        if (!buf.hasRemaining()) {
            if (!scratch && leftover != null) {
                buffers().release(leftover);
                leftover = null;
            }
            return;
        }
        if (scratch) {
            int rest = buf.remaining();
            leftover = buffers().acquire(Math.max(rest * 2, Math.min(4096, options.readBufferSize())));
            leftover.put(buf);
        } else {
            leftover.compact();
        }
    }

    private void growLeftover() throws FrameException {
        int cap = leftover.capacity();
        int limit = decoder == null ? options.readBufferSize() : decoder.maxBufferedBytes();
        if (cap >= limit) {
            throw new FrameException("a frame needs more than " + limit + " buffered bytes");
        }
        ByteBuffer bigger = buffers().acquire((int) Math.min((long) cap * 2, limit));
        leftover.flip();
        bigger.put(leftover);
        buffers().release(leftover);
        leftover = bigger;
    }

    private void onEof() {
        if (options.allowHalfClose() && state == OPEN) {
            inputShut = true;
            updateInterest();
            listener.onInputShutdown(this);
            if (outputShut) {
                failNow(DisconnectCause.EOF, null);
            }
        } else {
            failNow(DisconnectCause.EOF, null);
        }
    }

    private boolean readPaused() {
        return userPaused || watermarkPaused;
    }

    private void resumeAfterPause() {
        if (readPaused() || state > CLOSING) {
            return;
        }
        if (tls != null && unwrapping) {
            // The unwrap loop in progress below us delivers the rest once this returns.
            updateInterest();
            return;
        }
        if (!reading) {
            // Not inside a read (which drains itself once it unwinds): deliver what the pause held back now.
            reading = true;
            try {
                drainLeftover();
            } catch (Exception e) {
                failNow(DisconnectCause.PROTOCOL, e);
                return;
            } finally {
                reading = false;
            }
            trackPartialFrame();
        }
        if (tls != null) {
            // Records read before the pause wait in netIn: no poll-in will come for them.
            try {
                unwrapBuffered();
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
            if (tls.hasNetOut()) {
                flush();
                return;
            }
        }
        updateInterest();
    }

    private void writeInline(ByteBuffer message) throws IOException {
        int spins = options.maxWriteSpins();
        while (message.hasRemaining() && spins-- > 0) {
            if (channel.write(message) == 0) {
                break;
            }
        }
        lastWriteNanos = System.nanoTime();
    }

    private void flushFromQueue() {
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

    /** MSG_SENT: the write queue completed a message whose bytes are on the wire. */
    @Override
    public void written(Object context) {
        listener.onMessageSent(this, context);
    }

    private void flush() {
        if (state == CONNECTING || state == CLOSED) {
            return;
        }
        if (tls != null) {
            flushTls();
            return;
        }
        queue.takeInbox();
        try {
            int spins = options.maxWriteSpins();
            while (queue.hasUnconsumed() && spins-- > 0) {
                long w = queue.writeTo(channel, null);
                if (w > 0) {
                    queue.written(w);
                    lastWriteNanos = System.nanoTime();
                }
                queue.completeConsumed(this);
                if (w == 0) {
                    break;
                }
            }
        } catch (IOException e) {
            failNow(DisconnectCause.RESET, e);
            return;
        }
        updateWritability();
        if (!queue.hasQueued()) {
            if (state == CLOSING) {
                failNow(DisconnectCause.LOCAL_CLOSE, null);
                return;
            }
            if (outputShutRequested && !outputShut) {
                doShutdownOutput();
            }
        }
        updateInterest();
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
        boolean in;
        boolean out;
        if (tls == null) {
            in = state != CONNECTING && !inputShut && !readPaused();
            out = state == CONNECTING || queue.hasQueued();
        } else {
            TlsSession t = tls;
            // The handshake reads on while the user pauses: only application data waits.
            in = state != CONNECTING && !inputShut && !t.taskPending && !t.inboundDone
                    && !(t.handshakeDone && readPaused());
            out = state == CONNECTING || t.hasNetOut()
                    || (queue.hasUnconsumed() && t.handshakeDone && !t.taskPending && !t.outboundClosed);
        }
        if (in != armedIn || out != armedOut) {
            armedIn = in;
            armedOut = out;
            s.selectOn(in, out);
        }
    }

    private void startIdleTimer() {
        long next = nextIdleCheckNanos(System.nanoTime());
        if (next > 0) {
            idleTimer = slot.schedule(this::checkIdle, next, TimeUnit.NANOSECONDS);
        }
    }

    private long nextIdleCheckNanos(long now) {
        long next = Long.MAX_VALUE;
        long r = options.readIdleTimeout().toNanos();
        long w = options.writeIdleTimeout().toNanos();
        long a = options.allIdleTimeout().toNanos();
        if (r > 0) {
            next = Math.min(next, Math.max(lastReadNanos + r - now, r / 8 + 1));
        }
        if (w > 0) {
            next = Math.min(next, Math.max(lastWriteNanos + w - now, w / 8 + 1));
        }
        if (a > 0) {
            next = Math.min(next, Math.max(Math.max(lastReadNanos, lastWriteNanos) + a - now, a / 8 + 1));
        }
        return next == Long.MAX_VALUE ? 0 : next;
    }

    private void checkIdle() {
        if (state >= CLOSED) {
            return;
        }
        long now = System.nanoTime();
        long r = options.readIdleTimeout().toNanos();
        long w = options.writeIdleTimeout().toNanos();
        long a = options.allIdleTimeout().toNanos();
        IdleState fired = null;
        if (r > 0 && now - lastReadNanos >= r) {
            fired = IdleState.READ_IDLE;
            lastReadNanos = now;
        } else if (w > 0 && now - lastWriteNanos >= w) {
            fired = IdleState.WRITE_IDLE;
            lastWriteNanos = now;
        } else if (a > 0 && now - Math.max(lastReadNanos, lastWriteNanos) >= a) {
            fired = IdleState.ALL_IDLE;
            lastReadNanos = now;
            lastWriteNanos = now;
        }
        if (fired != null && listener.onIdle(this, fired)) {
            failNow(DisconnectCause.TIMEOUT, null);
            return;
        }
        startIdleTimer();
    }

    /**
     * Starts the frame-timeout clock when part of a frame is now buffered (here or in the decoder) and none
     * was, and stops it when none is left. Only ever one timer: it re-arms itself for what is left.
     */
    private void trackPartialFrame() {
        long timeout = options.frameTimeout().toNanos();
        if (timeout == 0 || decoder == null || state >= CLOSED) {
            return;
        }
        boolean partial = hasPartialFrame();
        if (partial && !partialFrame) {
            partialFrameSinceNanos = System.nanoTime();
            if (frameTimer == null) {
                frameTimer = slot.schedule(this::checkFrameTimeout, timeout, TimeUnit.NANOSECONDS);
            }
        }
        partialFrame = partial;
    }

    /** Part of a frame is buffered: undecoded bytes, the decoder's reassembly, or an incomplete TLS record. */
    private boolean hasPartialFrame() {
        return (leftover != null && leftover.position() > 0) || decoder.hasPartialFrame()
                || (tls != null && tls.hasBufferedNetIn());
    }

    private void checkFrameTimeout() {
        frameTimer = null;
        if (state >= CLOSED) {
            return;
        }
        partialFrame = hasPartialFrame();
        if (!partialFrame) {
            return;
        }
        long now = System.nanoTime();
        if (readPaused()) {
            // We stopped reading (throttle, watermarks): the frame is incomplete because of us, not the peer.
            partialFrameSinceNanos = now;
        }
        long timeout = options.frameTimeout().toNanos();
        long left = partialFrameSinceNanos + timeout - now;
        if (left > 0) {
            frameTimer = slot.schedule(this::checkFrameTimeout, left, TimeUnit.NANOSECONDS);
            return;
        }
        failNow(DisconnectCause.TIMEOUT, new FrameException("a partial frame was held for more than "
                + options.frameTimeout().toMillis() + " ms"));
    }

    // --- TLS: everything here runs on the owner, except the delegated tasks --------------------------------

    /** Starts the handshake on an open connection: accepted and registered, or connected. */
    private void tlsStart() {
        assert slot.inPoller();
        long timeout = tls.handshakeTimeoutNanos;
        if (timeout > 0) {
            handshakeTimer = slot.schedule(this::handshakeTimedOut, timeout, TimeUnit.NANOSECONDS);
        }
        try {
            tls.engine.beginHandshake();
            tlsAdvance();
        } catch (SSLException e) {
            tlsFailed(e);
            return;
        }
        flush();
    }

    private void handshakeTimedOut() {
        handshakeTimer = null;
        if (!tls.handshakeDone && state < CLOSED) {
            failNow(DisconnectCause.TIMEOUT, new SSLHandshakeException("TLS handshake with " + remoteAddressForError()
                    + " not done after " + TimeUnit.NANOSECONDS.toMillis(tls.handshakeTimeoutNanos) + " ms"));
        }
    }

    /**
     * Does what the engine asks for that needs no bytes from the peer: wraps handshake messages (and alerts)
     * into netOut, hands delegated tasks to their executor. The caller flushes.
     */
    private void tlsAdvance() throws SSLException {
        TlsSession t = tls;
        while (!t.taskPending && state < CLOSED) {
            switch (t.engine.getHandshakeStatus()) {
                case NEED_WRAP:
                    SSLEngineResult r = t.wrapControl();
                    if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
                        handshakeFinished();
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
                    if (!t.handshakeDone && !t.outboundClosed && !t.inboundDone) {
                        handshakeFinished();
                    }
                    return;
                default:
                    // NEED_UNWRAP: the peer speaks next.
                    return;
            }
        }
    }

    private void handshakeFinished() {
        TlsSession t = tls;
        if (t.handshakeDone) {
            return;
        }
        t.handshakeDone = true;
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
        if (log.isDebugEnabled()) {
            log.debug("{}: TLS handshake done: {} {}", this, t.engine.getSession().getProtocol(),
                    t.engine.getSession().getCipherSuite());
        }
        if (client && state == OPEN) {
            notifyConnected();
        }
    }

    /** Hands the engine's delegated tasks to their executor; reading and wrapping wait until they are done. */
    private void runDelegatedTasks() {
        TlsSession t = tls;
        List<Runnable> tasks = new ArrayList<>(2);
        Runnable task;
        while ((task = t.engine.getDelegatedTask()) != null) {
            tasks.add(task);
        }
        if (tasks.isEmpty()) {
            return;
        }
        t.taskPending = true;
        try {
            t.taskExecutor.execute(() -> runTasks(tasks));
        } catch (RejectedExecutionException e) {
            t.taskPending = false;
            failNow(DisconnectCause.PROTOCOL, new SSLException("the TLS delegated-task executor refused a task", e));
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
            execute(() -> tasksDone(f));
        }
    }

    private void tasksDone(Throwable failure) {
        tls.taskPending = false;
        if (state == CLOSED) {
            return;
        }
        if (failure != null) {
            failNow(DisconnectCause.PROTOCOL, new SSLException("a TLS delegated task failed", failure));
            return;
        }
        try {
            tlsAdvance();
            unwrapBuffered();
        } catch (SSLException e) {
            tlsFailed(e);
            return;
        } catch (Exception e) {
            failNow(causeOf(e), e);
            return;
        }
        flush();
    }

    /** Reads records, unwraps them and delivers their plaintext through the decoder. */
    private void readTls() throws Exception {
        TlsSession t = tls;
        int reads = options.maxReadsPerWakeup();
        // What the listener sends while this wakeup's records are delivered waits in the queue and is wrapped
        // and written at the end, in as few records and writes as it fills, not one write per record read.
        boolean outer = batching;
        batching = true;
        try {
            for (int i = 0; i < reads; i++) {
                if (state >= CLOSED || inputShut || t.taskPending || t.inboundDone
                        || (t.handshakeDone && readPaused())) {
                    break;
                }
                ByteBuffer net = t.readBuffer(options.readBufferSize());
                int space = net.remaining();
                int n = channel.read(net);
                if (n < 0) {
                    net.flip();
                    unwrapNet(net, true);
                    t.keepNetIn(net);
                    if (state < CLOSED && !t.inboundDone) {
                        onTlsEof();
                    }
                    break;
                }
                if (n == 0) {
                    t.releaseEmptyNetIn();
                    break;
                }
                lastReadNanos = System.nanoTime();
                net.flip();
                unwrapNet(net, true);
                t.keepNetIn(net);
                if (n < space) {
                    break;
                }
            }
        } catch (SSLException e) {
            tlsFailed(e);
            return;
        } finally {
            batching = outer;
        }
        // Handshake messages, a close_notify answer, data the finished handshake released, and the replies.
        flush();
    }

    /** Unwraps records read earlier and kept: delivery paused, or delegated tasks ran meanwhile. */
    private void unwrapBuffered() throws Exception {
        if (unwrapping || tls.taskPending) {
            return;
        }
        ByteBuffer net = tls.bufferedNetIn();
        if (net != null) {
            unwrapNet(net, false);
            tls.keepNetIn(net);
        }
    }

    /**
     * Unwraps the records in {@code net} (read mode) and delivers their plaintext, until the records run out
     * or a partial one is left, delivery pauses, or the engine waits for delegated tasks.
     *
     * @param fromRead called by {@link #readTls()}, so the poller's plaintext scratch buffer is free to use;
     *                 otherwise (a resume or the end of delegated tasks, possibly nested in another connection's
     *                 delivery from that very buffer) the plaintext goes into this connection's own buffer
     */
    private void unwrapNet(ByteBuffer net, boolean fromRead) throws Exception {
        TlsSession t = tls;
        unwrapping = true;
        try {
            int stalls = 0;
            while (net.hasRemaining() && state < CLOSED && !inputShut && !t.taskPending && !t.inboundDone
                    && !(t.handshakeDone && readPaused())) {
                int need = t.appSize();
                ByteBuffer app;
                boolean scratch;
                if (leftover != null) {
                    ensureLeftoverSpace(need);
                    app = leftover;
                    scratch = false;
                } else if (fromRead) {
                    app = buffers().plainScratch(need);
                    scratch = true;
                } else {
                    leftover = buffers().acquire(need);
                    app = leftover;
                    scratch = false;
                }
                SSLEngineResult r = t.engine.unwrap(net, app);
                if (r.bytesProduced() > 0) {
                    app.flip();
                    deliver(app);
                    keepRest(app, scratch);
                } else if (!scratch && leftover.position() == 0) {
                    buffers().release(leftover);
                    leftover = null;
                }
                switch (r.getStatus()) {
                    case BUFFER_UNDERFLOW:
                        return;
                    case CLOSED:
                        onCloseNotify();
                        return;
                    default:
                        // OK, or BUFFER_OVERFLOW: the session's application buffer size grew; asked again above.
                        break;
                }
                if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
                    handshakeFinished();
                }
                tlsAdvance();
                if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    if (++stalls > 2) {
                        throw new SSLException("the TLS engine makes no progress unwrapping: " + r);
                    }
                } else {
                    stalls = 0;
                }
            }
        } finally {
            unwrapping = false;
        }
    }

    /** Makes room in {@code leftover} for one record's plaintext after the partial frame it holds. */
    private void ensureLeftoverSpace(int need) throws FrameException {
        if (leftover.remaining() >= need) {
            return;
        }
        int limit = decoder == null ? options.readBufferSize() : decoder.maxBufferedBytes();
        if (leftover.position() >= limit) {
            throw new FrameException("a frame needs more than " + limit + " buffered bytes");
        }
        ByteBuffer bigger = buffers().acquire(leftover.position() + need);
        leftover.flip();
        bigger.put(leftover);
        buffers().release(leftover);
        leftover = bigger;
    }

    /** The peer's close_notify: its orderly end of stream. */
    private void onCloseNotify() throws SSLException {
        TlsSession t = tls;
        t.inboundDone = true;
        log.debug("{}: the peer sent close_notify", this);
        if (options.allowHalfClose() && state == OPEN && t.handshakeDone) {
            boolean ourCloseNotify = t.outboundClosed;
            // TLS 1.2 answers a close_notify with its own at once (RFC 5246 §7.2.1): then there is no half-close.
            tlsAdvance();
            if (ourCloseNotify || !t.engine.isOutboundDone()) {
                inputShut = true;
                updateInterest();
                listener.onInputShutdown(this);
                if (outputShut) {
                    failNow(DisconnectCause.EOF, null);
                }
                return;
            }
        }
        sendCloseNotifyNow();
        failNow(DisconnectCause.EOF, null);
    }

    /**
     * End of stream with no close_notify before it: the peer (or a middlebox) may have cut the stream short
     * (RFC 8446 §6.1). Still EOF, but with the engine's complaint as the error, so a listener can tell.
     */
    private void onTlsEof() {
        TlsSession t = tls;
        t.inboundDone = true;
        SSLException truncated = null;
        try {
            t.engine.closeInbound();
        } catch (SSLException e) {
            truncated = e;
            log.debug("{}: end of stream without close_notify ({})", this, e.getMessage());
        }
        if (truncated != null && !(options.allowHalfClose() && state == OPEN)) {
            failNow(DisconnectCause.EOF, truncated);
            return;
        }
        onEof();
    }

    /** Queues our close_notify (after what is already wrapped) and writes once, without waiting. */
    private void sendCloseNotifyNow() {
        try {
            closeOutbound();
            tls.writeNetOut(channel);
        } catch (IOException e) {
            log.debug("{}: could not send close_notify", this, e);
        }
    }

    /** Closes the engine's outbound side and wraps the close_notify into netOut. */
    private void closeOutbound() throws SSLException {
        TlsSession t = tls;
        if (t.outboundClosed) {
            return;
        }
        t.outboundClosed = true;
        t.engine.closeOutbound();
        while (!t.engine.isOutboundDone()) {
            if (t.wrapControl().bytesProduced() == 0) {
                break;
            }
        }
    }

    /** A TLS failure: tell the peer with the alert the engine made, if it can be written at once, and close. */
    private void tlsFailed(SSLException e) {
        if (state == CLOSED) {
            return;
        }
        try {
            // RFC 8446 §6.2: a fatal alert tells the peer why; the engine has made it ready to wrap.
            closeOutbound();
            tls.writeNetOut(channel);
        } catch (IOException | RuntimeException ex) {
            log.debug("{}: could not send the TLS alert", this, ex);
        }
        failNow(DisconnectCause.PROTOCOL, e);
    }

    /**
     * Writes wrapped records and wraps queued plaintext lazily, one buffer of records at a time, only once the
     * handshake is done. A message counts as queued until the records holding its last byte are written; then
     * MSG_SENT. Once the queue is empty, a requested close or output shutdown sends close_notify first.
     */
    private void flushTls() {
        if (flushingTls) {
            // Reached from a listener called by the loop below: the loop picks up what it queued.
            return;
        }
        TlsSession t = tls;
        flushingTls = true;
        try {
            queue.takeInbox();
            int spins = options.maxWriteSpins();
            while (spins-- > 0 && state < CLOSED) {
                if (t.hasNetOut()) {
                    long w = t.writeNetOut(channel);
                    if (w > 0) {
                        lastWriteNanos = System.nanoTime();
                    }
                    if (t.hasNetOut()) {
                        if (w == 0) {
                            break;
                        }
                        continue;
                    }
                }
                wroteNetOut();
                if (!t.handshakeDone || t.taskPending || t.outboundClosed || !queue.hasUnconsumed()
                        || state >= CLOSED) {
                    break;
                }
                wrapQueued();
            }
        } catch (SSLException e) {
            tlsFailed(e);
            return;
        } catch (IOException e) {
            failNow(DisconnectCause.RESET, e);
            return;
        } finally {
            flushingTls = false;
        }
        if (state == CLOSED) {
            return;
        }
        updateWritability();
        if (state == CLOSED) {
            return;
        }
        if (!queue.hasQueued() && !t.hasNetOut() && !t.taskPending
                && (state == CLOSING || (outputShutRequested && !outputShut))) {
            if (!t.outboundClosed) {
                try {
                    closeOutbound();
                } catch (SSLException e) {
                    tlsFailed(e);
                    return;
                }
                // Once more, to write the close_notify; it comes back here with outboundClosed set.
                flushTls();
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

    /** Wraps queued plaintext into netOut, as many records as fit; consumed messages wait for netOut's write. */
    private void wrapQueued() throws SSLException {
        TlsSession t = tls;
        int n = queue.gather(null);
        ByteBuffer[] g = queue.gathered();
        int off = 0;
        try {
            while (off < n && t.roomForRecord()) {
                SSLEngineResult r = t.wrapData(g, off, n - off);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new SSLException("the TLS engine closed its outbound side with data queued");
                }
                t.wrappedPlain += r.bytesConsumed();
                while (off < n && !g[off].hasRemaining()) {
                    off++;
                }
                if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK
                        || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                    break;
                }
            }
        } finally {
            queue.clearGathered();
        }
        // A post-handshake message (a TLS 1.3 key update) may be due.
        tlsAdvance();
    }

    /** netOut is written: its plaintext is no longer queued, and the messages it consumed are sent. */
    private void wroteNetOut() {
        queue.written(tls.wrappedPlain);
        tls.wrappedPlain = 0;
        queue.completeConsumed(this);
    }

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
        if (idleTimer != null) {
            idleTimer.cancel();
        }
        if (frameTimer != null) {
            frameTimer.cancel();
            frameTimer = null;
        }
        if (connectTimer != null) {
            connectTimer.cancel();
        }
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        if (tls != null) {
            tls.release();
            tls.wrappedPlain = 0;
        }
        if (leftover != null) {
            buffers().release(leftover);
            leftover = null;
        }
        queue.clear();
        DisconnectCause why = cause;
        Throwable err = error;
        if (why == null) {
            err = s.failure();
            why = causeOf(err);
        }
        CompletableFuture<Transport> f = connectFuture;
        if (f != null && !f.isDone()) {
            f.completeExceptionally(err != null ? err
                    : new java.net.ConnectException("connect to " + remoteAddressForError() + " ended: " + why));
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

    /** The poller's buffers for this connection: direct for plain sockets, heap for TLS (see BufferPool). */
    private BufferPool buffers() {
        return tls == null ? BufferPool.local() : BufferPool.localHeap();
    }
}
