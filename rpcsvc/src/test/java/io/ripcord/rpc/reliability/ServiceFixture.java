package io.ripcord.rpc.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.core.Poller;
import io.ripcord.core.PollerMetrics;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.RpcReplyHandler;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.RpcServiceOptions;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.DisconnectCause;
import io.ripcord.transport.Listener;
import io.ripcord.transport.PooledBuffers;
import io.ripcord.transport.Transport;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link RpcService} on loopback with a test program, plus the probes the reliability tests read: the
 * cause of every DISCONNECT (by the client's port), the pollers' heap allocation, pooled buffers, slots,
 * timers and this process's descriptors.
 */
final class ServiceFixture implements AutoCloseable {

    static final int PROG = 0x20000C0D;
    static final int VERS = 1;
    /** Proc 1: an int, replied + 1. */
    static final int INC = 1;
    /** Proc 2: an opaque, replied with its length. */
    static final int LEN = 2;
    /** Proc 3: never replied (until the connection ends). */
    static final int HOLD = 3;
    static final int MSG_CALL = 0;
    private static final Object DISCONNECTED = new Object();
    static final int AUTH_NONE = 0;

    final EventPool pool;
    final RpcService service;
    final Listener listener;
    /** DISCONNECT causes by the client's (the server connection's remote) port. */
    final Map<Integer, DisconnectCause> causes = new ConcurrentHashMap<>();
    final AtomicLong disconnects = new AtomicLong();
    /** DISCONNECTs by cause (the port map above loses counts when ports are reused). */
    final Map<DisconnectCause, AtomicLong> causeCounts = new ConcurrentHashMap<>();
    /** INC calls dispatched. */
    final AtomicLong incCalls = new AtomicLong();
    /** The most bytes a connection had queued right after an INC reply was sent, read on its poller. */
    final AtomicLong maxQueuedBytes = new AtomicLong();

    /** A second DISCONNECT on one transport (each is marked through its attachment on the first). */
    final AtomicLong duplicateDisconnects = new AtomicLong();

    ServiceFixture(int pollers, RpcServiceOptions options) throws IOException {
        this(pollers, options, "rel");
    }

    ServiceFixture(int pollers, RpcServiceOptions options, String threadNamePrefix) throws IOException {
        pool = EventPool.create(EventPoolOptions.builder().pollers(pollers).threadNamePrefix(threadNamePrefix)
                .build()).start();
        service = RpcService.create(options);
        service.register(RpcProgram.builder(PROG, VERS, "RELIABILITY")
                .actor(RpcActor.of(0, "NULL", RpcActor.VOID, (c, a) -> c.replyVoid()))
                .actor(RpcActor.of(INC, "INC", XdrDecoder::readInt, (c, a) -> {
                    incCalls.incrementAndGet();
                    c.reply(a + 1, XdrEncoder::writeInt);
                    maxQueuedBytes.accumulateAndGet(c.transport().queuedBytes(), Math::max);
                }))
                .actor(RpcActor.of(LEN, "LEN", d -> d.readOpaque(Integer.MAX_VALUE),
                        (c, a) -> c.reply(a.length, XdrEncoder::writeInt)))
                .actor(RpcActor.of(HOLD, "HOLD", RpcActor.VOID, (c, a) -> { }))
                .build());
        service.replyHandler(new RpcReplyHandler() {
            @Override
            public void onReply(Transport transport, int xid, ByteBuffer reply) {
            }

            @Override
            public void onDisconnect(Transport transport, DisconnectCause cause) {
                SocketAddress remote = transport.remoteAddress();
                if (remote instanceof InetSocketAddress r) {
                    causes.put(r.getPort(), cause);
                }
                disconnects.incrementAndGet();
                causeCounts.computeIfAbsent(cause, c -> new AtomicLong()).incrementAndGet();
                if (transport.attachment() == DISCONNECTED) {
                    duplicateDisconnects.incrementAndGet();
                }
                transport.attach(DISCONNECTED);
            }
        });
        listener = service.listen(pool, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    static RpcServiceOptions limits(int maxRecordSize) {
        return RpcServiceOptions.builder().maxRecordSize(maxRecordSize).build();
    }

    Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(listener.address(), 5000);
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return s;
    }

    // --- wire ------------------------------------------------------------------------------------------------

    static byte[] call(int xid, int proc, byte[] args) {
        ByteBuffer b = ByteBuffer.allocate(40 + args.length);
        b.putInt(xid).putInt(MSG_CALL).putInt(2).putInt(PROG).putInt(VERS).putInt(proc)
                .putInt(AUTH_NONE).putInt(0).putInt(AUTH_NONE).putInt(0).put(args);
        return b.array();
    }

    static byte[] incCall(int xid, int value) {
        return call(xid, INC, ByteBuffer.allocate(4).putInt(value).array());
    }

    /** A call to LEN whose record is exactly {@code recordSize} bytes (a multiple of 4, at least 44). */
    static byte[] lenCall(int xid, int recordSize) {
        int opaque = recordSize - 44;
        ByteBuffer args = ByteBuffer.allocate(4 + opaque).putInt(opaque);
        return call(xid, LEN, args.array());
    }

    /** One last fragment holding {@code msg}. */
    static byte[] record(byte[] msg) {
        return io.ripcord.rpc.Wire.record(msg);
    }

    static byte[] fragment(byte[] data, int from, int length, boolean last) {
        return ByteBuffer.allocate(4 + length).putInt((last ? 0x80000000 : 0) | length).put(data, from, length)
                .array();
    }

    static byte[] concat(byte[]... parts) {
        return io.ripcord.rpc.Wire.concat(parts);
    }

    /** Reads one record (all fragments) from a blocking stream. */
    static byte[] readRecord(InputStream in) throws IOException {
        return io.ripcord.rpc.Wire.readRecord(in);
    }

    /** Reads a SUCCESS reply to {@code xid} and returns its one int result. */
    static int readIntReply(InputStream in, int xid) throws IOException {
        ByteBuffer r = ByteBuffer.wrap(readRecord(in));
        assertEquals(xid, r.getInt(), "xid");
        assertEquals(1, r.getInt(), "REPLY");
        assertEquals(0, r.getInt(), "MSG_ACCEPTED");
        r.getInt();
        int verifierLength = r.getInt();
        r.position(r.position() + ((verifierLength + 3) & ~3));
        assertEquals(0, r.getInt(), "SUCCESS");
        return r.getInt();
    }

    /** One INC round trip on a fresh connection: the service still serves. */
    void assertServed() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(record(incCall(77, 41)));
            assertEquals(42, readIntReply(s.getInputStream(), 77));
        }
    }

    /** Waits for the server to end {@code s}: end of stream or a reset, never a read timeout. */
    static void assertClosedByServer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] sink = new byte[8192];
        try {
            while (in.read(sink) >= 0) {
                // discard whatever the server wrote before closing
            }
        } catch (SocketTimeoutException e) {
            fail("the server did not close the connection within " + s.getSoTimeout() + " ms");
        } catch (IOException e) {
            // a reset: closed too
        }
    }

    DisconnectCause awaitCause(Socket s) {
        int port = s.getLocalPort();
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                .until(() -> causes.containsKey(port));
        return causes.get(port);
    }

    // --- probes ----------------------------------------------------------------------------------------------

    List<Long> pollerThreadIds() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (Poller p : pool.pollers()) {
            CompletableFuture<Long> f = new CompletableFuture<>();
            p.execute(() -> f.complete(Thread.currentThread().getId()));
            ids.add(f.get(10, TimeUnit.SECONDS));
        }
        return ids;
    }

    /** Heap bytes the poller threads have allocated so far (HotSpot's per-thread counter). */
    long pollerHeapAllocated() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long id : pollerThreadIds()) {
            total += mx.getThreadAllocatedBytes(id);
        }
        return total;
    }

    long pooledBuffersAllocated() throws Exception {
        return PooledBuffers.allocated(pool);
    }

    long disconnects(DisconnectCause cause) {
        AtomicLong n = causeCounts.get(cause);
        return n == null ? 0 : n.get();
    }

    int pendingTimers() {
        return pool.metrics().stream().mapToInt(PollerMetrics::pendingTimers).sum();
    }

    static int openDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    @Override
    public void close() throws Exception {
        listener.close();
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
    }
}
