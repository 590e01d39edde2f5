package io.ripcord.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.Listener;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RPC path allocates nothing per call in steady state for a fixed-size reply (GF-DUMP PING), one call at a
 * time or eight pipelined in one read, and for a KV GET only the key handed to the actor (bytes counted on the
 * poller thread, as {@code transport}'s {@code EchoAllocationTest} does for echo).
 */
class RpcAllocationTest {

    private static final String POLLER = "alloc-rpc";
    private static final int KV = 0x20000B0B;
    private static final int GET = 2;
    /** Keys {@code k000}..{@code k999}, each mapped to a 100-byte value. */
    private static final int KEYS = 1000;
    private static final int VALUE_SIZE = 100;
    /** GF-DUMP PING's results: op_ret, op_errno, an empty xdata. */
    private static final int PING_RESULTS = 12;
    /** A GET's results: found, the value's length, the value. */
    private static final int GET_RESULTS = 4 + 4 + VALUE_SIZE;
    /** A 4-byte key, as the actor gets it: a byte[4] of 16 bytes of header, padded to 24. */
    private static final int KEY_ARRAY_BYTES = 24;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private EventPool pool;
    private Listener listener;
    private final byte[][] values = new byte[KEYS][];

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(),
                "this JVM cannot count allocated bytes per thread");
        pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix(POLLER)
                .blockedPollerThreshold(Duration.ZERO).build()).start();
        for (int i = 0; i < KEYS; i++) {
            values[i] = new byte[VALUE_SIZE];
            Arrays.fill(values[i], (byte) i);
        }
        RpcService service = RpcService.create();
        service.register(RpcProgram.builder(KV, 1, "KV")
                .actor(RpcActor.of(GET, "GET", d -> d.readOpaque(255), this::get).repliesInline())
                .build());
        listener = service.listen(pool, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** A GET that finds its value without allocating: the key's three digits are its index. */
    private void get(RpcCall call, byte[] key) {
        int index = (key[1] - '0') * 100 + (key[2] - '0') * 10 + (key[3] - '0');
        call.reply(values[index], RpcAllocationTest::writeValue);
    }

    private static void writeValue(XdrEncoder e, byte[] value) {
        e.writeBoolean(true);
        e.writeOpaque(value, 1 << 20);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (listener != null) {
            listener.close();
        }
        if (pool != null) {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPingAtATimeAllocatesNothingPerCall() throws Exception {
        double perCall = bytesPerCall(1, RpcAllocationTest::ping, PING_RESULTS);
        assertTrue(perCall < 2, "the poller allocated " + perCall + " bytes per PING");
    }

    @Test
    void eightPipelinedPingsInOneReadAllocateNothingPerCall() throws Exception {
        double perCall = bytesPerCall(8, RpcAllocationTest::ping, PING_RESULTS);
        assertTrue(perCall < 2, "the poller allocated " + perCall + " bytes per PING");
    }

    @Test
    void aKvGetAllocatesOnlyTheKeyHandedToTheActor() throws Exception {
        double perCall = bytesPerCall(1, RpcAllocationTest::get, GET_RESULTS);
        assertTrue(perCall >= KEY_ARRAY_BYTES - 4 && perCall < KEY_ARRAY_BYTES + 2,
                "the poller allocated " + perCall + " bytes per GET; the key alone is " + KEY_ARRAY_BYTES);
    }

    private interface CallMaker {
        byte[] call(int xid);
    }

    private static byte[] ping(int xid) {
        return Wire.call(xid, GfDump.PROGRAM, GfDump.VERSION, GfDump.PING, new byte[0]);
    }

    private static byte[] get(int xid) {
        int key = Math.floorMod(xid, KEYS);
        byte[] k = {'k', (byte) ('0' + key / 100), (byte) ('0' + key / 10 % 10), (byte) ('0' + key % 10)};
        return Wire.call(xid, KV, 1, GET, Wire.concat(Wire.ints(k.length), k));
    }

    /**
     * Sends {@code depth} calls at a time in one write and reads their replies, 20,000 calls to warm up and
     * 20,000 measured; checks every reply's xid, SUCCESS and (for a GET) value.
     *
     * @param replyBody the bytes of results after accept_stat every reply carries
     * @return bytes the poller thread allocated per measured call
     */
    private double bytesPerCall(int depth, CallMaker maker, int replyBody) throws Exception {
        long poller = pollerThreadId();
        try (Socket s = new Socket()) {
            s.connect(listener.address(), 5000);
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[][] batch = new byte[depth][];
            int calls = 20_000;
            long before = 0;
            for (int round = 0; round < 2; round++) {
                if (round == 1) {
                    before = threads.getThreadAllocatedBytes(poller);
                }
                for (int xid = 1; xid <= calls; xid += depth) {
                    for (int i = 0; i < depth; i++) {
                        batch[i] = Wire.record(maker.call(xid + i));
                    }
                    out.write(Wire.concat(batch));
                    for (int i = 0; i < depth; i++) {
                        checkReply(in, xid + i, replyBody);
                    }
                }
            }
            return (threads.getThreadAllocatedBytes(poller) - before) / (double) calls;
        }
    }

    private void checkReply(DataInputStream in, int xid, int replyBody) throws Exception {
        byte[] reply = Wire.readRecord(in);
        ByteBuffer b = ByteBuffer.wrap(reply);
        assertEquals(24 + replyBody, reply.length, "reply length");
        assertEquals(xid, b.getInt(0));
        assertEquals(MsgType.REPLY, b.getInt(4));
        assertEquals(ReplyStat.MSG_ACCEPTED, b.getInt(8));
        assertEquals(AcceptStat.SUCCESS, b.getInt(20));
        if (replyBody == GET_RESULTS) {
            byte[] value = Arrays.copyOfRange(reply, 32, 32 + VALUE_SIZE);
            assertArrayEquals(values[Math.floorMod(xid, KEYS)], value, "value of GET " + xid);
        }
    }

    private static long pollerThreadId() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(POLLER + "-0")) {
                return t.getId();
            }
        }
        throw new AssertionError("no thread " + POLLER + "-0");
    }
}
