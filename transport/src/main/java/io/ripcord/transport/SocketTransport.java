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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream connection: GlusterFS's {@code socket.c} connection half. It is the {@link EventHandler} of its
 * slot, so all its I/O runs on the owner poller: poll-out (flush the queue, or finish a connect) first, then
 * poll-in (read, decode, deliver).
 */
final class SocketTransport implements Transport, EventHandler {

    private static final Logger log = LoggerFactory.getLogger(SocketTransport.class);

    private static final int CONNECTING = 0;
    private static final int OPEN = 1;
    private static final int CLOSING = 2;
    private static final int CLOSED = 3;

    private static final int MAX_GATHER = 64;

    private final SocketChannel channel;
    private final TransportOptions options;
    private final FrameDecoder decoder;
    private final ConcurrentLinkedQueue<Outbound> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicInteger refs = new AtomicInteger(1);
    private final Runnable flushTask = this::flushFromQueue;
    private final Object preRegisterLock = new Object();
    private List<Runnable> preRegister;
    private volatile TransportListener listener;
    private volatile Slot slot;
    private volatile int state;
    private volatile boolean writable = true;
    private volatile SocketAddress localAddress;
    private volatile SocketAddress remoteAddress;
    private volatile Object attachment;
    private Runnable onDisconnected;

    // Owner-only state.
    private final ArrayDeque<Outbound> queue = new ArrayDeque<>();
    private ByteBuffer[] gather;
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
    private Timer connectTimer;
    private CompletableFuture<Transport> connectFuture;

    SocketTransport(SocketChannel channel, TransportOptions options, boolean connecting) {
        this.channel = channel;
        this.options = options;
        this.decoder = options.decoder() == null ? null : options.decoder().get();
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
        synchronized (preRegisterLock) {
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
            if (state == OPEN && !batching && queue.isEmpty() && incoming.isEmpty() && !outputShutRequested) {
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
            ByteBuffer copy = BufferPool.local().acquire(len);
            copy.put(message).flip();
            queue.addLast(new Outbound(copy, context, true));
            queued.addAndGet(len);
            updateWritability();
            if (!armedOut && !batching && state != CONNECTING) {
                flush();
            }
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(len);
        copy.put(message).flip();
        incoming.offer(new Outbound(copy, context, false));
        queued.addAndGet(len);
        if (flushScheduled.compareAndSet(false, true)) {
            execute(flushTask);
        }
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
                drainIncoming();
                if (queue.isEmpty()) {
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
            drainIncoming();
            if (queue.isEmpty()) {
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
        return writable;
    }

    @Override
    public long queuedBytes() {
        return queued.get();
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
            synchronized (preRegisterLock) {
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
            r = refs.get();
            if (r <= 0) {
                throw new IllegalStateException(this + " was already cleaned up");
            }
        } while (!refs.compareAndSet(r, r + 1));
    }

    @Override
    public void release() {
        int r = refs.decrementAndGet();
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
                synchronized (preRegisterLock) {
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
        if (connectFuture != null) {
            connected();
        } else {
            startIdleTimer();
            flushFromQueue();
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
        listener.onConnect(this);
        CompletableFuture<Transport> f = connectFuture;
        if (f != null) {
            f.complete(this);
        }
        startIdleTimer();
        flushFromQueue();
        updateInterest();
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
                buf = BufferPool.local().scratch(options.readBufferSize());
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
                    BufferPool.local().release(leftover);
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
        batching = true;
        try {
            deliver(buf);
        } finally {
            batching = false;
        }
        if (!queue.isEmpty() && !armedOut) {
            flush();
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
                BufferPool.local().release(leftover);
                leftover = null;
            }
            return;
        }
        if (scratch) {
            int rest = buf.remaining();
            leftover = BufferPool.local().acquire(Math.max(rest * 2, Math.min(4096, options.readBufferSize())));
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
        ByteBuffer bigger = BufferPool.local().acquire((int) Math.min((long) cap * 2, limit));
        leftover.flip();
        bigger.put(leftover);
        BufferPool.local().release(leftover);
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
        flushScheduled.set(false);
        if (!registered || state == CONNECTING) {
            return;
        }
        drainIncoming();
        updateWritability();
        if (!armedOut) {
            flush();
        }
    }

    private void drainIncoming() {
        Outbound o;
        while ((o = incoming.poll()) != null) {
            queue.addLast(o);
        }
    }

    private void flush() {
        if (state == CONNECTING || state == CLOSED) {
            return;
        }
        drainIncoming();
        try {
            int spins = options.maxWriteSpins();
            while (!queue.isEmpty() && spins-- > 0) {
                long w;
                if (queue.size() == 1) {
                    w = channel.write(queue.peekFirst().buf);
                } else {
                    ByteBuffer[] g = gather;
                    if (g == null) {
                        g = gather = new ByteBuffer[MAX_GATHER];
                    }
                    int n = 0;
                    for (Outbound o : queue) {
                        g[n++] = o.buf;
                        if (n == MAX_GATHER) {
                            break;
                        }
                    }
                    w = channel.write(g, 0, n);
                    java.util.Arrays.fill(g, 0, n, null);
                }
                if (w > 0) {
                    queued.addAndGet(-w);
                    lastWriteNanos = System.nanoTime();
                }
                Outbound o;
                while ((o = queue.peekFirst()) != null && !o.buf.hasRemaining()) {
                    queue.pollFirst();
                    if (o.pooled) {
                        BufferPool.local().release(o.buf);
                    }
                    listener.onMessageSent(this, o.context);
                }
                if (w == 0) {
                    break;
                }
            }
        } catch (IOException e) {
            failNow(DisconnectCause.RESET, e);
            return;
        }
        updateWritability();
        if (queue.isEmpty()) {
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
        long q = queued.get();
        if (writable && q > options.writeHighWatermark()) {
            writable = false;
            listener.onWritabilityChanged(this, false);
            if (options.pauseReadingWhenUnwritable()) {
                watermarkPaused = true;
                updateInterest();
            }
        } else if (!writable && q <= options.writeLowWatermark()) {
            writable = true;
            listener.onWritabilityChanged(this, true);
            if (watermarkPaused) {
                watermarkPaused = false;
                resumeAfterPause();
            }
        }
    }

    private void updateInterest() {
        Slot s = slot;
        if (s == null || !registered || state == CLOSED) {
            return;
        }
        boolean in = state != CONNECTING && !inputShut && !readPaused();
        boolean out = state == CONNECTING || !queue.isEmpty();
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
        if (connectTimer != null) {
            connectTimer.cancel();
        }
        if (leftover != null) {
            BufferPool.local().release(leftover);
            leftover = null;
        }
        drainIncoming();
        Outbound o;
        while ((o = queue.pollFirst()) != null) {
            if (o.pooled) {
                BufferPool.local().release(o.buf);
            }
        }
        queued.set(0);
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
        switch (why) {
            case EOF:
            case LOCAL_CLOSE:
            case SHUTDOWN:
                log.debug("{} disconnected: {}", this, why);
                break;
            case PROTOCOL:
                log.warn("{} disconnected: {}: {}", this, why, String.valueOf(err));
                break;
            default:
                log.info("{} disconnected: {}: {}", this, why, String.valueOf(err));
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
        if (t instanceof FrameException) {
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

    /** A message waiting to be written: a copy the transport owns. */
    private static final class Outbound {
        final ByteBuffer buf;
        final Object context;
        final boolean pooled;

        Outbound(ByteBuffer buf, Object context, boolean pooled) {
            this.buf = buf;
            this.context = context;
            this.pooled = pooled;
        }
    }
}
