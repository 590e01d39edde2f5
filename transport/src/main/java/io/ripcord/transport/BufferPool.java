package io.ripcord.transport;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Buffers in power-of-two size classes, one pool per poller thread (a {@link ThreadLocal}), so that taking and
 * returning a buffer costs no synchronization and steady-state traffic allocates nothing. A buffer taken on one
 * poller may be returned on another (after a resize moved its connection); it then simply joins that poller's
 * pool. Buffers above {@link #MAX_POOLED} are not pooled.
 *
 * <p>It also keeps the holders ({@link Outbound}) of written messages for the next ones the poller queues.
 *
 * <p>Two kinds per thread: {@link #local()} hands out direct buffers, which plain sockets read into and write
 * from without a copy; {@link #localHeap()} hands out heap buffers, for TLS connections. The JDK's AES-GCM
 * works on arrays: fed direct buffers, its {@code SSLEngine} takes a path that copies through arrays of its
 * own ({@code GHASH.processBlocksDirect} in a JFR profile). Measured with an echo server over TLS, alternating
 * the two builds, 16 connections x 4 KiB x 4 in flight: median 29.5 against 36.0 us of server CPU per message
 * (3 pairs, heap better in each); 8 x 64 KiB: 279 against 288 us (6 pairs, within the noise). The copy the JDK
 * makes between a heap buffer and the socket is counted in those figures. A buffer released to the wrong kind
 * of pool goes to the right one.
 */
final class BufferPool {

    static final int MIN_CLASS = 9;               // 512 B
    static final int MAX_CLASS = 20;              // 1 MiB
    static final int MAX_POOLED = 1 << MAX_CLASS;
    private static final int PER_CLASS = 64;

    private static final ThreadLocal<BufferPool> LOCAL = ThreadLocal.withInitial(() -> new BufferPool(true));
    private static final ThreadLocal<BufferPool> LOCAL_HEAP = ThreadLocal.withInitial(() -> new BufferPool(false));

    /** Spare {@link Outbound} holders kept at most. */
    private static final int SPARE_HOLDERS = 1024;

    private final boolean direct;
    private final ArrayDeque<ByteBuffer>[] free;
    private ByteBuffer scratch;
    private ByteBuffer plainScratch;
    private long allocated;
    /** Holders of written messages, linked through {@link Outbound#next}, for the next ones queued here. */
    private Outbound spareHolders;
    private int spareHolderCount;

    @SuppressWarnings("unchecked")
    private BufferPool(boolean direct) {
        this.direct = direct;
        free = new ArrayDeque[MAX_CLASS + 1];
        for (int i = MIN_CLASS; i <= MAX_CLASS; i++) {
            free[i] = new ArrayDeque<>();
        }
    }

    /** This thread's pool of direct buffers. */
    static BufferPool local() {
        return LOCAL.get();
    }

    /** This thread's pool of heap buffers (for TLS). */
    static BufferPool localHeap() {
        return LOCAL_HEAP.get();
    }

    private ByteBuffer allocate(int size) {
        return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
    }

    /** The poller's shared read buffer: used for one read and its decoding, never kept by a connection. */
    ByteBuffer scratch(int size) {
        ByteBuffer s = scratch;
        if (s == null || s.capacity() < size) {
            s = allocate(size);
            scratch = s;
        }
        s.clear();
        return s;
    }

    /**
     * A second shared buffer, for the plaintext a TLS connection unwraps while {@link #scratch} holds the
     * records it read; like it, used for one read and never kept by a connection.
     */
    ByteBuffer plainScratch(int size) {
        ByteBuffer s = plainScratch;
        if (s == null || s.capacity() < size) {
            s = allocate(size);
            plainScratch = s;
        }
        s.clear();
        return s;
    }

    /** A cleared buffer of at least {@code size} bytes. */
    ByteBuffer acquire(int size) {
        int cls = sizeClass(size);
        if (cls > MAX_CLASS) {
            allocated++;
            return allocate(size);
        }
        ByteBuffer b = free[cls].pollLast();
        if (b == null) {
            allocated++;
            b = allocate(1 << cls);
        }
        b.clear();
        return b;
    }

    void release(ByteBuffer b) {
        if (b == null) {
            return;
        }
        if (b.isDirect() != direct) {
            (direct ? localHeap() : local()).release(b);
            return;
        }
        int cap = b.capacity();
        if (Integer.bitCount(cap) != 1) {
            return;
        }
        int cls = Integer.numberOfTrailingZeros(cap);
        if (cls < MIN_CLASS || cls > MAX_CLASS) {
            return;
        }
        ArrayDeque<ByteBuffer> q = free[cls];
        if (q.size() < PER_CLASS) {
            q.addLast(b);
        }
    }

    /** A holder for a message the owner queues, {@code buf} from this thread's pool: a spare one if there is. */
    Outbound holder(ByteBuffer buf, Object context) {
        Outbound o = spareHolders;
        if (o == null) {
            return new Outbound(buf, context, true);
        }
        spareHolders = o.next;
        spareHolderCount--;
        o.next = null;
        return o.hold(buf, context, true);
    }

    /** Takes back a holder whose message was written (or dropped); its buffer went back already. */
    void spare(Outbound o) {
        if (spareHolderCount < SPARE_HOLDERS) {
            o.next = spareHolders;
            spareHolders = o;
            spareHolderCount++;
        }
    }

    /** Buffers this pool has allocated so far (for tests: steady state must not grow it). */
    long allocated() {
        return allocated;
    }

    static int sizeClass(int size) {
        if (size <= (1 << MIN_CLASS)) {
            return MIN_CLASS;
        }
        return 32 - Integer.numberOfLeadingZeros(size - 1);
    }
}
