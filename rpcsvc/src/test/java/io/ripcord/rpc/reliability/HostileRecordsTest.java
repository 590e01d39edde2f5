package io.ripcord.rpc.reliability;

import static io.ripcord.rpc.reliability.ServiceFixture.assertClosedByServer;
import static io.ripcord.rpc.reliability.ServiceFixture.fragment;
import static io.ripcord.rpc.reliability.ServiceFixture.incCall;
import static io.ripcord.rpc.reliability.ServiceFixture.lenCall;
import static io.ripcord.rpc.reliability.ServiceFixture.readIntReply;
import static io.ripcord.rpc.reliability.ServiceFixture.record;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.transport.DisconnectCause;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #6, records: hostile record marking against a real {@code RpcService} on loopback. Each case checks
 * that the offending connection is closed (or answered), that a second connection is served, and that the
 * pollers neither allocated what the peer promised (heap bytes allocated by the poller threads) nor kept
 * pooled direct buffers for it.
 */
class HostileRecordsTest {

    /** 1 MiB records: big enough that allocating one on a header's promise would show in the heap bound. */
    private static final int MAX_RECORD = 1 << 20;
    /** Far below MAX_RECORD, far above what a few connections' bookkeeping costs. */
    private static final long HEAP_BOUND = 256 * 1024;

    private ServiceFixture server;
    private long heapBefore;
    private long buffersBefore;

    @BeforeEach
    void setUp() throws Exception {
        server = new ServiceFixture(1, ServiceFixture.limits(MAX_RECORD));
        // Warm up: the first connection, record and partial record allocate the poller's scratch, pool classes
        // and class metadata; measure from there.
        server.assertServed();
        try (Socket s = server.connect()) {
            s.getOutputStream().write(ByteBuffer.allocate(8).putInt(100).putInt(1).array());
            s.getOutputStream().write(record(incCall(1, 1)));
        }
        try (Socket s = server.connect()) {
            // Two calls in one read: their replies are queued (a call alone in its read is answered inline), which
            // takes the pooled reply buffers the tests' pipelined calls take again.
            s.getOutputStream().write(ServiceFixture.concat(record(incCall(2, 1)), record(incCall(3, 1))));
            readIntReply(s.getInputStream(), 2);
            readIntReply(s.getInputStream(), 3);
        }
        try (Socket s = server.connect()) {
            // ... and the first protocol error builds its message and log line through code not run before.
            s.getOutputStream().write(ByteBuffer.allocate(4).putInt(-1).array());
            server.awaitCause(s);
        }
        heapBefore = server.pollerHeapAllocated();
        buffersBefore = server.pooledBuffersAllocated();
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
    }

    /**
     * A fresh connection is served, every hostile one is gone (connection count, slots), and the pollers
     * allocated no pooled buffer and no more heap than each of the {@code connections} hostile connections'
     * bookkeeping (16 KiB each, over a fixed allowance): never what a header promised.
     */
    private void assertServedAndNothingKept(int connections) throws Exception {
        server.assertServed();
        long heap = server.pollerHeapAllocated() - heapBefore;
        long bound = HEAP_BOUND + connections * 16 * 1024L;
        assertTrue(heap < bound, "pollers allocated " + heap + " heap bytes for the hostile connections");
        long buffers = server.pooledBuffersAllocated() - buffersBefore;
        assertTrue(buffers <= 1, "pollers allocated " + buffers + " more pooled buffers");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertEquals(0, server.listener.connectionCount(), "connections left open");
            assertEquals(1, server.pool.openSlots(), "slots left open besides the listener's");
        });
    }

    @Test
    void fragmentHeaderPromisingTwoGigabytesClosesBeforeAllocating() throws Exception {
        for (int header : new int[] {0x7FFFFFFF, 0xFFFFFFFF}) {
            try (Socket s = server.connect()) {
                s.getOutputStream().write(ByteBuffer.allocate(12).putInt(header).putInt(1).putInt(0).array());
                assertClosedByServer(s);
                assertEquals(DisconnectCause.PROTOCOL, server.awaitCause(s));
            }
        }
        assertServedAndNothingKept(2);
    }

    @Test
    void endlessSmallNonLastFragmentsAreCutOffAtTheFragmentCap() throws Exception {
        // The default cap for a 1 MiB maximum is 1024 fragments; send 5000 one-byte fragments and never a last.
        try (Socket s = server.connect()) {
            ByteBuffer b = ByteBuffer.allocate(5000 * 5);
            for (int i = 0; i < 5000; i++) {
                b.putInt(1).put((byte) i);
            }
            writeIgnoringReset(s, b.array());
            assertClosedByServer(s);
            assertEquals(DisconnectCause.PROTOCOL, server.awaitCause(s));
        }
        try (Socket s = server.connect()) {
            ByteBuffer b = ByteBuffer.allocate(5000 * 4);
            for (int i = 0; i < 5000; i++) {
                b.putInt(0); // empty non-last fragments: legal, and no progress
            }
            writeIgnoringReset(s, b.array());
            assertClosedByServer(s);
            assertEquals(DisconnectCause.PROTOCOL, server.awaitCause(s));
        }
        assertServedAndNothingKept(2);
    }

    @Test
    void recordOneByteOverTheLimitClosesAndOneAtTheLimitIsServed() throws Exception {
        try (Socket s = server.connect()) {
            byte[] atLimit = lenCall(5, MAX_RECORD);
            s.getOutputStream().write(record(atLimit));
            assertEquals(MAX_RECORD - 44, readIntReply(s.getInputStream(), 5));
            // Same limit in two fragments: served too.
            s.getOutputStream().write(fragment(atLimit, 0, 1000, false));
            s.getOutputStream().write(fragment(atLimit, 1000, atLimit.length - 1000, true));
            assertEquals(MAX_RECORD - 44, readIntReply(s.getInputStream(), 5));
        }
        heapBefore = server.pollerHeapAllocated();
        buffersBefore = server.pooledBuffersAllocated();
        byte[] over = new byte[MAX_RECORD + 1];
        try (Socket s = server.connect()) {
            writeIgnoringReset(s, fragment(over, 0, over.length, true));
            assertClosedByServer(s);
            assertEquals(DisconnectCause.PROTOCOL, server.awaitCause(s));
        }
        try (Socket s = server.connect()) {
            // In fragments: the one that crosses the limit is refused on its header.
            writeIgnoringReset(s, ServiceFixture.concat(fragment(over, 0, MAX_RECORD / 2, false),
                    fragment(over, 0, MAX_RECORD / 2 + 1, true)));
            assertClosedByServer(s);
            assertEquals(DisconnectCause.PROTOCOL, server.awaitCause(s));
        }
        server.assertServed();
        long buffers = server.pooledBuffersAllocated() - buffersBefore;
        assertTrue(buffers <= 1, "pollers allocated " + buffers + " more pooled buffers");
        // The half record that did arrive in fragments is reassembled before the refusal, in a buffer grown by
        // doubling: at most about twice the bytes received (2 x MAX_RECORD / 2) is allocated for it.
        long heap = server.pollerHeapAllocated() - heapBefore;
        assertTrue(heap < 2L * MAX_RECORD + HEAP_BOUND, "pollers allocated " + heap + " heap bytes");
    }

    @Test
    void endOfStreamInTheMiddleOfARecordClosesAndReleasesItsBuffers() throws Exception {
        for (int i = 0; i < 200; i++) {
            try (Socket s = server.connect()) {
                OutputStream out = s.getOutputStream();
                byte[] call = incCall(i, i);
                if (i % 2 == 0) {
                    // One fragment, half sent: it waits in the transport's pooled buffer.
                    out.write(record(call), 0, 20);
                } else {
                    // Two fragments, the second half sent: it waits in the decoder's reassembly buffer.
                    out.write(fragment(call, 0, 8, false));
                    out.write(fragment(call, 8, call.length - 8, true), 0, 10);
                }
                out.flush();
                s.shutdownOutput();
                assertClosedByServer(s);
                assertEquals(DisconnectCause.EOF, server.awaitCause(s));
            }
        }
        assertServedAndNothingKept(200);
    }

    @Test
    void recordSplitIntoOneByteSegmentsIsServed() throws Exception {
        try (Socket s = server.connect()) {
            OutputStream out = s.getOutputStream();
            for (int xid = 1; xid <= 20; xid++) {
                byte[] rec = xid % 2 == 0 ? record(incCall(xid, xid))
                        : ServiceFixture.concat(fragment(incCall(xid, xid), 0, 12, false),
                                fragment(incCall(xid, xid), 12, 32, true));
                for (byte b : rec) {
                    out.write(b); // TCP_NODELAY: one segment per byte, as far as the stack lets us
                    out.flush();
                }
                assertEquals(xid + 1, readIntReply(s.getInputStream(), xid));
            }
        }
        assertServedAndNothingKept(1);
    }

    @Test
    void garbageAfterAValidCallIsAnsweredThenClosed() throws Exception {
        try (Socket s = server.connect()) {
            // An HTTP request after the call: "GET " is a header promising a 1.2 GB non-last fragment.
            s.getOutputStream().write(ServiceFixture.concat(record(incCall(9, 99)),
                    "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertEquals(100, readIntReply(s.getInputStream(), 9));
            assertClosedByServer(s);
            assertEquals(DisconnectCause.PROTOCOL, server.awaitCause(s));
        }
        try (Socket s = server.connect()) {
            // Records that are no calls: a message type 7 is dropped and the connection goes on serving;
            // then a record too short for an xid closes it.
            s.getOutputStream().write(ServiceFixture.concat(record(incCall(10, 1)),
                    record(ByteBuffer.allocate(16).putInt(11).putInt(7).putInt(-1).putInt(-1).array()),
                    record(incCall(12, 2)), record(new byte[] {1, 2})));
            assertEquals(2, readIntReply(s.getInputStream(), 10));
            assertEquals(3, readIntReply(s.getInputStream(), 12));
            assertClosedByServer(s);
            assertEquals(DisconnectCause.LOCAL_CLOSE, server.awaitCause(s));
        }
        assertServedAndNothingKept(2);
    }

    /** Writes what the server takes before it closes; the server may reset us mid-write. */
    private static void writeIgnoringReset(Socket s, byte[] bytes) {
        try {
            s.getOutputStream().write(bytes);
        } catch (IOException e) {
            // the server closed first: what the test checks next
        }
    }
}
