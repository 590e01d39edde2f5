package io.ripcord.testkit;

import io.ripcord.core.Poller;
import io.ripcord.transport.Acceptor;
import io.ripcord.transport.DisconnectCause;
import io.ripcord.transport.FrameDecoder;
import io.ripcord.transport.FrameException;
import io.ripcord.transport.IdleState;
import io.ripcord.transport.Transport;
import io.ripcord.transport.TransportListener;
import io.ripcord.transport.TransportOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Transport} with no socket and no poller: the test is the peer and the poller. It writes the bytes the
 * peer sends ({@link #writeInbound}) and reads the messages the listener sent ({@link #readOutbound}); every event
 * the listener gets (ACCEPT or CONNECT, MSG_RECEIVED through the options' frame decoder, MSG_SENT, writability,
 * input shutdown, idle, DISCONNECT once with its cause, CLEANUP) is delivered on the test's thread, before the
 * call that caused it returns. Netty users know the idea as {@code EmbeddedChannel}.
 *
 * <pre>{@code
 * EmbeddedTransport t = EmbeddedTransport.builder().options(framed).connect(myListener);
 * t.writeInbound(request);                 // myListener.onMessage runs now
 * ByteBuffer reply = t.readOutbound();     // what it sent
 * t.peerClose();                           // DISCONNECT (EOF) now
 * }</pre>
 *
 * <h2>What it models</h2>
 * <ul>
 * <li><b>Reading</b>: inbound bytes go through the options' {@link FrameDecoder} (without one, each
 * {@link #writeInbound} is one message); a pause holds them until {@link #resumeReading()}; more than the decoder
 * may buffer, a decoder error or a listener that throws is a PROTOCOL disconnect, as on a socket.</li>
 * <li><b>Writing</b>: a send is written at once (MSG_SENT before {@code send} returns) while the peer reads; after
 * {@link #peerStopsReading()} sends queue up, count in {@link #queuedBytes()} and cross the options' watermarks
 * (pausing reading if the options say so), until {@link #peerReads()}.</li>
 * <li><b>Time</b>: with a {@link ManualClock}, the options' idle timeouts and frame timeout fire when the test
 * advances it.</li>
 * <li><b>Threads</b>: the thread that made it is its owner ({@link #inPoller()} is true there). Sends and tasks
 * from other threads (an actor's executor replying) wait until the owner runs them: every step of the test
 * ({@link #writeInbound}, {@link #readOutbound}, {@link #runPendingTasks()}...) runs them first, and
 * {@link #readOutbound(Duration)} waits for them.</li>
 * </ul>
 * It has no TLS ({@link #startTls} fails) and no poller ({@link #poller()} is {@code null}): code that schedules
 * on a connection's poller needs a real connection (and can have a {@link ManualClock} all the same).
 *
 * <p>Thread rules: the test-facing methods from the owner thread; the {@link Transport} methods from any thread.
 */
public final class EmbeddedTransport implements Transport {

    private static final SocketAddress DEFAULT_LOCAL = InetSocketAddress.createUnresolved("embedded-local", 1);
    private static final SocketAddress DEFAULT_REMOTE = InetSocketAddress.createUnresolved("embedded-peer", 2);

    private final TransportOptions options;
    private final ManualClock clock;
    private final FrameDecoder decoder;
    private final Thread owner;
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    /** Tasks and sends from any thread, run by the owner at its next step. */
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    /** Messages written to the peer, not read by the test yet. */
    private final ArrayDeque<ByteBuffer> written = new ArrayDeque<>();
    /** Messages sent while the peer does not read, with their MSG_SENT contexts. */
    private final ArrayDeque<Object[]> unwritten = new ArrayDeque<>();
    private volatile TransportListener listener;
    private volatile boolean open = true;
    private volatile long queued;
    private volatile boolean writable = true;
    private volatile Object attachment;
    private int refs = 1;

    // Owner only.
    private ByteBuffer inbound = ByteBuffer.allocate(256);
    private boolean closing;
    private boolean closed;
    private boolean inputShut;
    private boolean outputShutRequested;
    private boolean outputShut;
    private boolean userPaused;
    private boolean watermarkPaused;
    private boolean peerReading = true;
    private boolean delivering;
    private DisconnectCause cause;
    private Throwable error;
    private long lastReadNanos;
    private long lastWriteNanos;
    private ManualClock.Scheduled idleCheck;
    private ManualClock.Scheduled frameCheck;
    private long partialSinceNanos;

    private EmbeddedTransport(Builder b) {
        this.options = b.options;
        this.clock = b.clock;
        this.decoder = options.decoder() == null ? null : options.decoder().get();
        this.owner = Thread.currentThread();
        this.localAddress = b.localAddress;
        this.remoteAddress = b.remoteAddress;
        if (clock != null) {
            lastReadNanos = lastWriteNanos = clock.nanoTime();
        }
    }

    /**
     * A connected transport with default options (no decoder: each inbound write is a message) and no clock.
     * The calling thread owns it.
     *
     * @param listener the code under test; it hears CONNECT before this returns
     * @return the transport, open
     */
    public static EmbeddedTransport connect(TransportListener listener) {
        return builder().connect(listener);
    }

    /**
     * Starts an embedded transport with options, a clock or addresses of the test's choosing.
     *
     * @return a new builder with default options, no clock and made-up unresolved addresses
     */
    public static Builder builder() {
        return new Builder();
    }

    /** How an embedded transport is made. Not thread-safe. */
    public static final class Builder {
        private TransportOptions options = TransportOptions.defaults();
        private ManualClock clock;
        private SocketAddress localAddress = DEFAULT_LOCAL;
        private SocketAddress remoteAddress = DEFAULT_REMOTE;

        private Builder() {
        }

        /**
         * The options the transport follows: the decoder, watermarks, pausing when unwritable, idle and frame
         * timeouts, half-close. The socket options, TLS and the connect timeout do not apply.
         *
         * @param options the options; default {@link TransportOptions#defaults()}
         * @return this builder
         */
        public Builder options(TransportOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * The clock its timeouts run by; without one, no timeout fires.
         *
         * @param clock the clock; its {@link ManualClock#advance} runs this transport's timeouts on the thread
         *     that calls it
         * @return this builder
         */
        public Builder clock(ManualClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * What {@link EmbeddedTransport#remoteAddress()} returns, for code that looks at the peer's address.
         *
         * @param address any address; it is never connected to
         * @return this builder
         */
        public Builder remoteAddress(SocketAddress address) {
            this.remoteAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * What {@link EmbeddedTransport#localAddress()} returns.
         *
         * @param address any address; it is never bound
         * @return this builder
         */
        public Builder localAddress(SocketAddress address) {
            this.localAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * A client connection: CONNECT is delivered to {@code listener} now. The calling thread owns it.
         *
         * @param listener the code under test
         * @return the transport, open, with what the listener did in {@code onConnect} already done
         */
        public EmbeddedTransport connect(TransportListener listener) {
            EmbeddedTransport t = new EmbeddedTransport(this);
            t.listener = Objects.requireNonNull(listener, "listener");
            t.armTimeouts();
            listener.onConnect(t);
            t.runPendingTasks();
            return t;
        }

        /**
         * A server connection, as a {@code Listener} makes one: {@code acceptor} gives its listener, which hears
         * ACCEPT now. The calling thread owns it.
         *
         * @param acceptor gives the listener under test, as for a real {@link io.ripcord.transport.Listener}
         * @return the transport, open, with what the listener did in {@code onAccept} already done
         * @throws Exception what the acceptor threw (a listener would then close the connection)
         */
        public EmbeddedTransport accept(Acceptor acceptor) throws Exception {
            EmbeddedTransport t = new EmbeddedTransport(this);
            TransportListener l = Objects.requireNonNull(acceptor.accept(t), "the acceptor returned no listener");
            t.listener = l;
            l.onAccept(t);
            t.armTimeouts();
            t.runPendingTasks();
            return t;
        }
    }

    // --- the test: the peer's side ----------------------------------------------------------------------------

    /**
     * The peer sends {@code bytes}: they are decoded and delivered now (unless reading is paused). Owner thread
     * only.
     *
     * @param bytes the bytes, all of them; the array is not kept
     * @throws IllegalStateException if the connection is closed or its input shut down, or on another thread
     */
    public void writeInbound(byte[] bytes) {
        writeInbound(ByteBuffer.wrap(bytes));
    }

    /**
     * The peer sends {@code bytes}: they are decoded and delivered now (unless reading is paused). Owner thread
     * only.
     *
     * @param bytes the bytes from position to limit; the position ends at the limit, and the buffer is not kept
     * @throws IllegalStateException if the connection is closed or its input shut down, or on another thread
     */
    public void writeInbound(ByteBuffer bytes) {
        checkOwner();
        runPendingTasks();
        if (closed || inputShut) {
            throw new IllegalStateException(this + " reads no more: " + (closed ? "closed" : "input shut"));
        }
        if (bytes.hasRemaining() && clock != null) {
            lastReadNanos = clock.nanoTime();
        }
        if (inbound.remaining() < bytes.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(inbound.capacity() * 2, inbound.position()
                    + bytes.remaining()));
            bigger.put(inbound.flip());
            inbound = bigger;
        }
        inbound.put(bytes.duplicate());
        bytes.position(bytes.limit());
        deliver();
        runPendingTasks();
    }

    /** The peer closes its side: EOF, or with half-close allowed an input shutdown. */
    public void peerClose() {
        checkOwner();
        runPendingTasks();
        if (closed || inputShut) {
            return;
        }
        if (options.allowHalfClose() && !closing) {
            inputShut = true;
            listener.onInputShutdown(this);
            if (outputShut) {
                disconnect(DisconnectCause.EOF, null);
            }
        } else {
            disconnect(DisconnectCause.EOF, null);
        }
        runPendingTasks();
    }

    /** The connection breaks under the peer (a reset): DISCONNECT with cause RESET, what was queued is lost. */
    public void peerReset() {
        checkOwner();
        disconnect(DisconnectCause.RESET, new IOException("Connection reset by peer (embedded)"));
    }

    /** The peer stops reading: from now on sends queue up (and count against the watermarks). */
    public void peerStopsReading() {
        checkOwner();
        peerReading = false;
    }

    /** The peer reads again: what was queued is written now, each with its MSG_SENT. */
    public void peerReads() {
        checkOwner();
        peerReading = true;
        runPendingTasks();
        writeQueued();
        runPendingTasks();
    }

    /**
     * The next message the listener sent (as it was sent: one {@code send} is one message), or {@code null} if
     * none is written yet. Runs the tasks and sends other threads handed over first. Owner thread only.
     *
     * @return the message, a buffer of its own from position 0 to its length, or {@code null}
     */
    public ByteBuffer readOutbound() {
        checkOwner();
        runPendingTasks();
        return written.poll();
    }

    /**
     * {@link #readOutbound()}, waiting up to {@code timeout} for sends from other threads (an actor replying
     * from its executor); their tasks run on this thread as they arrive. Owner thread only.
     *
     * @param timeout the longest to wait, in real time
     * @return the next message, or {@code null} if none was written within {@code timeout}
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    public ByteBuffer readOutbound(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            ByteBuffer m = readOutbound();
            long left = deadline - System.nanoTime();
            if (m != null || left <= 0) {
                return m;
            }
            Runnable task = tasks.poll(left, TimeUnit.NANOSECONDS);
            if (task != null) {
                task.run();
            }
        }
    }

    /**
     * Every message written and not read yet, as one run of bytes; they are read, so the next call starts after
     * them. Owner thread only.
     *
     * @return the bytes, in the order sent; empty if nothing is written
     */
    public byte[] readOutboundBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer m;
        while ((m = readOutbound()) != null) {
            out.write(m.array(), m.arrayOffset() + m.position(), m.remaining());
        }
        return out.toByteArray();
    }

    /** Runs the tasks ({@link #execute}) and sends that other threads handed to this transport. */
    public void runPendingTasks() {
        checkOwner();
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    /**
     * Whether the connection has ended.
     *
     * @return {@code true} once DISCONNECT has been delivered
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Why the connection ended.
     *
     * @return the DISCONNECT's cause, or {@code null} while it has not ended
     */
    public DisconnectCause disconnectCause() {
        return cause;
    }

    /**
     * The exception behind the end of the connection.
     *
     * @return the DISCONNECT's error, or {@code null} while open or when there was none (EOF, a requested close)
     */
    public Throwable disconnectError() {
        return error;
    }

    /**
     * Whether inbound bytes are held rather than delivered.
     *
     * @return {@code true} while reading is paused, by the listener ({@link #pauseReading()}) or by the
     *     watermarks ({@link TransportOptions#pauseReadingWhenUnwritable()})
     */
    public boolean isReadingPaused() {
        return userPaused || watermarkPaused;
    }

    /**
     * Whether the listener's half-close has taken effect.
     *
     * @return {@code true} once {@link #shutdownOutput()} was called and what was queued before it is written
     */
    public boolean isOutputShut() {
        return outputShut;
    }

    // --- Transport --------------------------------------------------------------------------------------------

    @Override
    public void send(ByteBuffer message, Object context) {
        ByteBuffer copy = ByteBuffer.allocate(message.remaining()).put(message).flip();
        onOwner(() -> sendOnOwner(copy, context));
    }

    private void sendOnOwner(ByteBuffer copy, Object context) {
        if (closed || closing || outputShutRequested) {
            return;
        }
        if (peerReading && unwritten.isEmpty()) {
            write(copy, context);
            return;
        }
        unwritten.add(new Object[] {copy, context});
        queued += copy.remaining();
        watermarks();
    }

    private void write(ByteBuffer copy, Object context) {
        written.add(copy);
        if (clock != null) {
            lastWriteNanos = clock.nanoTime();
        }
        listener.onMessageSent(this, context);
    }

    private void writeQueued() {
        Object[] m;
        while (peerReading && !closed && (m = unwritten.poll()) != null) {
            ByteBuffer b = (ByteBuffer) m[0];
            queued -= b.remaining();
            write(b, m[1]);
            watermarks();
        }
        if (unwritten.isEmpty()) {
            if (closing) {
                disconnect(DisconnectCause.LOCAL_CLOSE, null);
            } else if (outputShutRequested) {
                shutOutput();
            }
        }
    }

    private void watermarks() {
        if (writable && queued > options.writeHighWatermark()) {
            writable = false;
            listener.onWritabilityChanged(this, false);
            if (options.pauseReadingWhenUnwritable()) {
                watermarkPaused = true;
            }
        } else if (!writable && queued <= options.writeLowWatermark()) {
            writable = true;
            listener.onWritabilityChanged(this, true);
            if (watermarkPaused) {
                watermarkPaused = false;
                deliver();
            }
        }
    }

    @Override
    public void close() {
        onOwner(() -> {
            if (!closed && !closing) {
                closing = true;
                open = false;
                writeQueued();
            }
        });
    }

    @Override
    public void abort() {
        onOwner(() -> disconnect(DisconnectCause.LOCAL_CLOSE, null));
    }

    @Override
    public void shutdownOutput() {
        onOwner(() -> {
            if (!closed && !closing && !outputShutRequested) {
                outputShutRequested = true;
                writeQueued();
            }
        });
    }

    private void shutOutput() {
        outputShut = true;
        if (inputShut) {
            disconnect(DisconnectCause.EOF, null);
        }
    }

    @Override
    public void pauseReading() {
        onOwner(() -> userPaused = true);
    }

    @Override
    public void resumeReading() {
        onOwner(() -> {
            if (userPaused) {
                userPaused = false;
                deliver();
            }
        });
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public long queuedBytes() {
        return queued;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** None: an embedded transport runs on its owner thread. */
    @Override
    public Poller poller() {
        return null;
    }

    @Override
    public boolean inPoller() {
        return Thread.currentThread() == owner;
    }

    /** Queued for the owner's next step, even from the owner (as a real transport runs it later). */
    @Override
    public void execute(Runnable task) {
        tasks.add(Objects.requireNonNull(task, "task"));
    }

    @Override
    public synchronized void retain() {
        if (refs <= 0) {
            throw new IllegalStateException(this + " was already cleaned up");
        }
        refs++;
    }

    @Override
    public void release() {
        int r;
        synchronized (this) {
            r = --refs;
        }
        if (r == 0) {
            listener.onCleanup(this);
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
        return "EmbeddedTransport[" + localAddress + " <-> " + remoteAddress + "]";
    }

    // --- delivery, timeouts, the end -------------------------------------------------------------------------

    private void deliver() {
        if (delivering) {
            return; // a resume from within a delivery: the loop in progress goes on
        }
        delivering = true;
        try {
            inbound.flip();
            try {
                while (inbound.hasRemaining() && !closed && !isReadingPaused()) {
                    ByteBuffer frame;
                    if (decoder == null) {
                        frame = inbound.slice();
                        inbound.position(inbound.limit());
                    } else if ((frame = decoder.decode(inbound)) == null) {
                        break;
                    }
                    listener.onMessage(this, frame);
                }
                if (decoder != null && inbound.remaining() > decoder.maxBufferedBytes()) {
                    throw new FrameException("a frame needs more than " + decoder.maxBufferedBytes()
                            + " buffered bytes");
                }
            } finally {
                inbound.compact();
            }
        } catch (Exception e) {
            disconnect(DisconnectCause.PROTOCOL, e);
        } finally {
            delivering = false;
        }
        trackPartialFrame();
    }

    private boolean holdsPartialFrame() {
        return inbound.position() > 0 || (decoder != null && decoder.hasPartialFrame());
    }

    private void armTimeouts() {
        if (clock != null) {
            armIdle(clock.nanoTime());
        }
    }

    /** Schedules the next idle check for the earliest moment one of the idle timeouts can expire. */
    private void armIdle(long now) {
        long next = Math.min(untilExpiry(options.readIdleTimeout(), lastReadNanos, now),
                Math.min(untilExpiry(options.writeIdleTimeout(), lastWriteNanos, now),
                        untilExpiry(options.allIdleTimeout(), Math.max(lastReadNanos, lastWriteNanos), now)));
        if (next != Long.MAX_VALUE) {
            idleCheck = clock.schedule(this::checkIdle, Math.max(1, next));
        }
    }

    private static long untilExpiry(Duration timeout, long since, long now) {
        return timeout.isZero() ? Long.MAX_VALUE : since + timeout.toNanos() - now;
    }

    private void checkIdle() {
        if (closed) {
            return;
        }
        long now = clock.nanoTime();
        IdleState fired = idleState(now);
        if (fired != null) {
            if (listener.onIdle(this, fired)) {
                disconnect(DisconnectCause.TIMEOUT, null);
                return;
            }
            if (fired != IdleState.WRITE_IDLE) {
                lastReadNanos = now;
            }
            if (fired != IdleState.READ_IDLE) {
                lastWriteNanos = now;
            }
        }
        armIdle(now);
    }

    /** Which idle timeout has expired by {@code now}, the read one first, then write, then all. */
    private IdleState idleState(long now) {
        if (expired(options.readIdleTimeout(), now - lastReadNanos)) {
            return IdleState.READ_IDLE;
        }
        if (expired(options.writeIdleTimeout(), now - lastWriteNanos)) {
            return IdleState.WRITE_IDLE;
        }
        if (expired(options.allIdleTimeout(), now - Math.max(lastReadNanos, lastWriteNanos))) {
            return IdleState.ALL_IDLE;
        }
        return null;
    }

    private static boolean expired(Duration timeout, long idleNanos) {
        return !timeout.isZero() && idleNanos >= timeout.toNanos();
    }

    private void trackPartialFrame() {
        Duration timeout = options.frameTimeout();
        if (clock == null || timeout.isZero() || decoder == null || closed) {
            return;
        }
        if (!holdsPartialFrame()) {
            if (frameCheck != null) {
                frameCheck.cancel();
                frameCheck = null;
            }
        } else if (frameCheck == null) {
            partialSinceNanos = clock.nanoTime();
            frameCheck = clock.schedule(this::checkFrame, timeout.toNanos());
        }
    }

    private void checkFrame() {
        frameCheck = null;
        if (closed || !holdsPartialFrame()) {
            return;
        }
        long now = clock.nanoTime();
        if (isReadingPaused()) {
            partialSinceNanos = now; // we stopped reading: the frame is incomplete because of us
        }
        long left = partialSinceNanos + options.frameTimeout().toNanos() - now;
        if (left > 0) {
            frameCheck = clock.schedule(this::checkFrame, left);
            return;
        }
        disconnect(DisconnectCause.TIMEOUT, new FrameException("a partial frame was held for more than "
                + options.frameTimeout().toMillis() + " ms"));
    }

    private void disconnect(DisconnectCause why, Throwable err) {
        if (closed) {
            return;
        }
        closed = true;
        open = false;
        cause = why;
        error = err;
        unwritten.clear();
        queued = 0;
        if (idleCheck != null) {
            idleCheck.cancel();
        }
        if (frameCheck != null) {
            frameCheck.cancel();
        }
        try {
            listener.onDisconnect(this, why, err);
        } finally {
            release();
        }
    }

    private void onOwner(Runnable r) {
        if (Thread.currentThread() == owner) {
            r.run();
        } else {
            tasks.add(r);
        }
    }

    private void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("only " + owner.getName() + ", which made " + this + ", drives it");
        }
    }
}
