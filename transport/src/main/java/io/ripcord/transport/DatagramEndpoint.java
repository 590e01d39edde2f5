package io.ripcord.transport;

import io.ripcord.core.EventPool;
import io.ripcord.core.PoolShutdownException;
import io.ripcord.core.Poller;
import io.ripcord.core.Slot;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bound UDP socket on an {@link EventPool}: the datagram counterpart of a {@link Transport}, for protocols
 * that put one message in one datagram and answer its sender (ONC RPC over UDP, RFC 5531 section 3).
 *
 * <p>All its I/O runs on its owner poller, as one {@link io.ripcord.core.EventHandler} of one slot: poll-out
 * first (flush queued datagrams), then poll-in (up to {@link DatagramOptions#maxReadsPerWakeup()} datagrams,
 * each handed whole to {@link DatagramHandler#onDatagram}).
 *
 * <p>UDP is lossy by design, and so is this endpoint: it never blocks a sender and never grows without bound.
 * A datagram it cannot send (the queue is full, the endpoint is closed, the system refused it) or cannot
 * deliver (longer than {@link DatagramOptions#maxDatagramSize()}) is dropped and counted; a handler that throws
 * is counted, and the endpoint keeps serving.
 *
 * <p>Sends use the same {@link WriteQueue} as a stream connection: on the owner with nothing queued a datagram
 * goes out at once from the caller's buffer; otherwise it is copied into the queue (from other threads through
 * the queue's inbox), within {@link DatagramOptions#maxQueuedBytes()}, and the owner sends it whole on its next
 * flush.
 *
 * <p>Thread rules: {@link #send}, {@link #close()}, {@link #execute} and every getter may be called from any
 * thread. The handler runs on the owner poller only.
 */
public final class DatagramEndpoint {

    private static final Logger log = LoggerFactory.getLogger(DatagramEndpoint.class);

    private final DatagramChannel channel;
    private final DatagramOptions options;
    private final DatagramHandler handler;
    private final SocketAddress address;
    private final WriteQueue queue = new WriteQueue();
    private final Runnable flushTask = this::flushFromQueue;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private final AtomicLong handlerFailures = new AtomicLong();
    private volatile Slot slot;
    /** A close was requested or happened: from now on every send is dropped. */
    private volatile boolean closing;

    // Owner-only state.
    private boolean armedOut;
    private boolean closed;

    private DatagramEndpoint(DatagramChannel channel, DatagramOptions options, DatagramHandler handler,
                             SocketAddress address) {
        this.channel = channel;
        this.options = options;
        this.handler = handler;
        this.address = address;
    }

    /**
     * Opens a UDP socket, applies {@code options}, binds it to {@code local} (port 0 for an ephemeral port)
     * and registers it for reading on the poller {@code pool} chooses. The socket's protocol family follows
     * {@code local}: an IPv4 address gives an IPv4-only socket. From any thread; it does not wait for the
     * poller.
     *
     * @param pool the pool whose poller (its chooser's pick) will own the endpoint
     * @param local a resolved address; names are not resolved here, so that a poller may call this
     * @param options socket options, the largest datagram and the send queue's bound
     * @param handler what the owner poller does with each datagram received, and once at the close
     * @return the endpoint, bound; it reads once its poller has registered it
     * @throws IllegalArgumentException if {@code local} is not an IP socket address or is unresolved
     * @throws IOException if the socket cannot be opened, configured or bound (it is then closed)
     * @throws io.ripcord.core.PoolShutdownException if the pool is shutting down
     */
    public static DatagramEndpoint bind(EventPool pool, SocketAddress local, DatagramOptions options,
                                        DatagramHandler handler) throws IOException {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        ProtocolFamily family = familyOf(local);
        DatagramChannel ch = family == null ? DatagramChannel.open() : DatagramChannel.open(family);
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
            if (options.receiveBufferSize() > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
            }
            if (options.sendBufferSize() > 0) {
                ch.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferSize());
            }
            try {
                ch.bind(local);
            } catch (IOException bind) {
                throw Listener.bindFailure("bind UDP", local, bind);
            }
            DatagramEndpoint e = new DatagramEndpoint(ch, options, handler, ch.getLocalAddress());
            Slot s = pool.register(ch, e::handle, true, false);
            if (e.slot == null) {
                e.slot = s;
            }
            log.debug("{} bound", e);
            return e;
        } catch (IOException | RuntimeException ex) {
            try {
                ch.close();
            } catch (IOException closeFailure) {
                ex.addSuppressed(closeFailure);
            }
            throw ex;
        }
    }

    private static ProtocolFamily familyOf(SocketAddress local) {
        if (!(local instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("not an IP socket address: " + local);
        }
        InetSocketAddress isa = (InetSocketAddress) local;
        if (isa.isUnresolved()) {
            throw new IllegalArgumentException(
                    "unresolved address " + isa + ": resolve it first (pollers must not wait on DNS)");
        }
        if (isa.getAddress() instanceof Inet4Address) {
            return StandardProtocolFamily.INET;
        }
        if (isa.getAddress() instanceof Inet6Address) {
            return StandardProtocolFamily.INET6;
        }
        return null;
    }

    /**
     * Where the endpoint listens. From any thread.
     *
     * @return the address the socket is bound to, with the port chosen if 0 was asked
     */
    public SocketAddress address() {
        return address;
    }

    /**
     * Sends one datagram to {@code to}. From any thread; never blocks. On the owner poller with nothing queued
     * it is sent at once from the caller's buffer; otherwise it is copied and queued for the owner, within
     * {@link DatagramOptions#maxQueuedBytes()}. A datagram that does not fit the queue, or that is sent after
     * {@link #close()}, or that the system refuses, is dropped and counted in {@link #dropped()}: UDP
     * promises no delivery, so neither does this.
     *
     * <p>On return the buffer's position is its limit, whatever became of the datagram; the buffer is never
     * kept, so the caller may reuse it at once.
     *
     * @param datagram the datagram's bytes, from position to limit
     * @param to a resolved IP socket address
     * @throws IllegalArgumentException if {@code to} is not a resolved IP socket address
     */
    public void send(ByteBuffer datagram, SocketAddress to) {
        Objects.requireNonNull(datagram, "datagram");
        checkTarget(to);
        int len = datagram.remaining();
        if (closing) {
            datagram.position(datagram.limit());
            dropped.incrementAndGet();
            log.debug("{}: dropped a datagram of {} bytes to {}: the endpoint is closed", this, len, to);
            return;
        }
        Slot s = slot;
        if (s.inPoller()) {
            sendOnOwner(s, datagram, to, len);
            return;
        }
        if (!reserve(len, to)) {
            datagram.position(datagram.limit());
            return;
        }
        boolean schedule = queue.handOff(Outbound.heapCopy(datagram, to));
        if (closing) {
            // The final call may have emptied the queue before our hand-off: drop what it did not see.
            dropped.addAndGet(queue.dropInbox());
            return;
        }
        if (schedule) {
            s.execute(flushTask);
        }
    }

    /**
     * Asks for the endpoint to close; from any thread, any number of times. The owner poller closes the socket
     * after the handler call in flight (if any) returns, drops what is still queued (counted in
     * {@link #dropped()}) and then calls {@link DatagramHandler#onClose} once.
     */
    public void close() {
        closing = true;
        slot.close();
    }

    /**
     * Whether the endpoint still sends. From any thread.
     *
     * @return {@code false} as soon as a close was requested or the endpoint failed or closed
     */
    public boolean isOpen() {
        return !closing;
    }

    /**
     * Runs {@code task} on the owner poller, unless the endpoint has closed by then. From any thread; always
     * queued, even on the owner. An exception the task throws closes the endpoint with that cause.
     *
     * @param task what to run; it must not block
     */
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        slot.execute(task);
    }

    /**
     * The poller that owns the endpoint now; it may change when the pool shrinks. From any thread.
     *
     * @return the current owner
     */
    public Poller poller() {
        return slot.poller();
    }

    /**
     * Whether the calling thread is the owner poller, where a send goes out at once when nothing is queued.
     *
     * @return {@code true} only on the owner's thread
     */
    public boolean inPoller() {
        return slot.inPoller();
    }

    /**
     * How many datagrams came in whole. From any thread.
     *
     * @return datagrams handed to the handler since bind (truncated ones are not)
     */
    public long received() {
        return received.get();
    }

    /**
     * How many datagrams went out. From any thread.
     *
     * @return datagrams the system accepted for sending since bind; not a sign any arrived
     */
    public long sent() {
        return sent.get();
    }

    /**
     * Datagrams discarded, in or out: longer than {@link DatagramOptions#maxDatagramSize()}, beyond
     * {@link DatagramOptions#maxQueuedBytes()}, sent to or queued in a closed endpoint, or refused by the system.
     * From any thread.
     *
     * @return the number of datagrams dropped since bind
     */
    public long dropped() {
        return dropped.get();
    }

    /**
     * How many datagrams came in too long. From any thread.
     *
     * @return datagrams received longer than {@link DatagramOptions#maxDatagramSize()}, dropped (and also counted
     *     in {@link #dropped()})
     */
    public long truncated() {
        return truncated.get();
    }

    /**
     * How often the handler failed. From any thread.
     *
     * @return datagrams whose {@link DatagramHandler#onDatagram} threw
     */
    public long handlerFailures() {
        return handlerFailures.get();
    }

    /**
     * How much waits to be sent. From any thread.
     *
     * @return bytes of the datagrams queued and not yet sent, at most {@link DatagramOptions#maxQueuedBytes()}
     */
    public long queuedBytes() {
        return queue.queuedBytes();
    }

    @Override
    public String toString() {
        return "DatagramEndpoint[" + address + "]";
    }

    // --- the owner's side ---------------------------------------------------------------------------------

    private void handle(Slot s, boolean pollIn, boolean pollOut, boolean pollErr) throws IOException {
        if (slot == null) {
            // The owner may see the socket ready before bind() has stored the slot it registered.
            slot = s;
        }
        if (pollErr) {
            onFinal(s);
            return;
        }
        if (pollOut) {
            flush();
        }
        if (pollIn) {
            read();
        }
    }

    private void read() throws IOException {
        int max = options.maxDatagramSize();
        // One byte more than the largest datagram we deliver: a datagram that fills it was cut by the system.
        ByteBuffer buf = BufferPool.local().scratch(max + 1);
        for (int i = options.maxReadsPerWakeup(); i > 0 && !closing; i--) {
            buf.clear().limit(max + 1);
            SocketAddress sender = channel.receive(buf);
            if (sender == null) {
                return;
            }
            buf.flip();
            if (buf.remaining() > max) {
                truncated.incrementAndGet();
                dropped.incrementAndGet();
                log.debug("{}: dropped a datagram from {}: longer than {} bytes", this, sender, max);
                continue;
            }
            received.incrementAndGet();
            try {
                handler.onDatagram(this, buf, sender);
            } catch (Exception e) {
                handlerFailures.incrementAndGet();
                log.debug("{}: the handler failed on a datagram from {}", this, sender, e);
            }
        }
    }

    private void sendOnOwner(Slot s, ByteBuffer datagram, SocketAddress to, int len) {
        assert s.inPoller();
        if (!queue.hasQueued() && !queue.hasInbox()) {
            try {
                // A datagram goes whole or not at all; 0 means the socket buffer is full (for an empty datagram
                // it cannot be told apart from success, and an empty datagram is taken as sent).
                if (channel.send(datagram, to) > 0 || len == 0) {
                    sent.incrementAndGet();
                    return;
                }
            } catch (IOException e) {
                datagram.position(datagram.limit());
                refused(to, len, e);
                return;
            }
        }
        if (!reserve(len, to)) {
            datagram.position(datagram.limit());
            return;
        }
        queue.add(Outbound.pooledCopy(datagram, to, BufferPool.local()));
        if (!armedOut) {
            flush();
        }
    }

    private void flushFromQueue() {
        queue.drainStarted();
        if (!closed && !armedOut) {
            flush();
        }
    }

    private void flush() {
        if (closed) {
            return;
        }
        queue.takeInbox();
        int budget = options.maxWritesPerWakeup();
        Outbound o;
        while ((o = queue.first()) != null && budget-- > 0) {
            SocketAddress to = (SocketAddress) o.context;
            try {
                if (channel.send(o.buf, to) == 0 && o.length > 0) {
                    break; // the socket buffer is full: poll-out resumes here
                }
                sent.incrementAndGet();
            } catch (IOException e) {
                refused(to, o.length, e);
            }
            int length = o.length;
            queue.removeFirst();
            queue.written(length);
        }
        boolean out = queue.hasQueued();
        if (out != armedOut) {
            armedOut = out;
            slot.selectOn(true, out);
        }
    }

    /** The final call: the socket is closed; drop what is queued and tell the handler, once. */
    private void onFinal(Slot s) {
        closing = true;
        closed = true;
        dropped.addAndGet(queue.clear());
        Throwable cause = s.failure();
        if (cause == null || cause instanceof PoolShutdownException) {
            log.debug("{} closed: {}", this, cause == null ? "closed locally" : "the pool shut down");
        } else {
            log.info("{} closed: {}", this, cause.toString());
        }
        try {
            handler.onClose(this, cause);
        } catch (RuntimeException e) {
            log.warn("{}: onClose threw", this, e);
        }
    }

    /** Claims {@code len} queued bytes within the bound; counts a drop if they do not fit. */
    private boolean reserve(int len, SocketAddress to) {
        if (queue.reserve(len, options.maxQueuedBytes())) {
            return true;
        }
        dropped.incrementAndGet();
        log.debug("{}: dropped a datagram of {} bytes to {}: {} bytes already queued, at most {}",
                this, len, to, queue.queuedBytes(), options.maxQueuedBytes());
        return false;
    }

    /** A datagram the system would not send (no route, too long, ...): UDP drops it, and so do we. */
    private void refused(SocketAddress to, int len, IOException e) {
        dropped.incrementAndGet();
        log.debug("{}: dropped a datagram of {} bytes to {}: {}", this, len, to, e.toString());
    }

    private static void checkTarget(SocketAddress to) {
        if (!(to instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("not an IP socket address: " + to);
        }
        if (((InetSocketAddress) to).isUnresolved()) {
            throw new IllegalArgumentException(
                    "unresolved address " + to + ": resolve it first (pollers must not wait on DNS)");
        }
    }
}
