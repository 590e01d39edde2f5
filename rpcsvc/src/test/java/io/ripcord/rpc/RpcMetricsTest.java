package io.ripcord.rpc;

import static io.ripcord.rpc.Wire.asInts;
import static io.ripcord.rpc.Wire.call;
import static io.ripcord.rpc.Wire.ints;
import static io.ripcord.rpc.Wire.readRecord;
import static io.ripcord.rpc.Wire.record;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.Listener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RpcService#metrics()} and {@link RpcService#dumpState}: exact counts of calls served over a socket. */
class RpcMetricsTest {

    private static final int PROG = 0x20000B0C;
    private static final int INC = 1;
    private static final int DROP = 2;
    private static final int HOLD = 3;
    private static final int TOOWEAK = 4;

    private EventPool pool;
    private RpcService service;
    private Listener listener;
    private Socket socket;
    private final BlockingQueue<RpcCall> held = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() throws IOException {
        pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("metrics").build()).start();
        service = RpcService.create();
        service.register(RpcProgram.builder(PROG, 1, "METRICS")
                .actor(RpcActor.of(INC, "INC", XdrDecoder::readInt, (c, a) -> c.reply(a + 1, XdrEncoder::writeInt)))
                .actor(RpcActor.of(DROP, "DROP", RpcActor.VOID, (c, a) -> c.drop()))
                .actor(RpcActor.of(HOLD, "HOLD", RpcActor.VOID, (c, a) -> held.add(c)))
                .actor(RpcActor.of(TOOWEAK, "TOOWEAK", RpcActor.VOID, (c, a) -> c.replyAuthError(AuthStat.AUTH_TOOWEAK)))
                .build());
        listener = service.listen(pool, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket = new Socket();
        socket.connect(listener.address(), 5000);
        socket.setSoTimeout(10_000);
    }

    @AfterEach
    void tearDown() throws Exception {
        socket.close();
        listener.close();
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    private int[] roundTrip(byte[] msg) throws IOException {
        send(msg);
        return asInts(readRecord(socket.getInputStream()));
    }

    private void send(byte[] msg) throws IOException {
        socket.getOutputStream().write(record(msg));
    }

    private ProcedureMetrics procedure(int procedure) {
        return service.metrics().procedure(PROG, 1, procedure).orElseThrow();
    }

    /** Counts are made after the reply is handed over: wait until the last call is counted. */
    private void awaitEnded(int procedure, long ended) {
        await().atMost(Duration.ofSeconds(10)).until(() -> procedure(procedure).ended() == ended);
    }

    @Test
    void nCallsAreNSuccessesAndNInTheHistogramWithNothingInFlight() throws IOException {
        for (int i = 0; i < 25; i++) {
            assertArrayEquals(new int[] {i, 1, 0, 0, 0, AcceptStat.SUCCESS, i + 1}, roundTrip(call(i, PROG, 1, INC, ints(i))));
        }
        awaitEnded(INC, 25);
        ProcedureMetrics inc = procedure(INC);
        assertEquals(25, inc.calls());
        assertEquals(25, inc.endings(ReplyStatus.SUCCESS));
        assertEquals(25, inc.ended());
        assertEquals(0, inc.inFlight());
        assertEquals(25, inc.latency().totalCount());
        assertTrue(inc.latency().totalNanos() > 0);
        assertEquals("INC", inc.name());
        // Nothing else was counted anywhere.
        assertEquals(25, service.metrics().program(PROG, 1).orElseThrow().calls());
        assertEquals(0, procedure(DROP).calls());
        assertEquals(0, service.metrics().unmatched().calls());
    }

    @Test
    void eachEndingIsCountedUnderItsOwnStatusAndProcedure() throws IOException {
        // GARBAGE_ARGS: INC without its int.
        assertArrayEquals(new int[] {1, 1, 0, 0, 0, AcceptStat.GARBAGE_ARGS}, roundTrip(call(1, PROG, 1, INC, new byte[0])));
        // AUTH_ERROR AUTH_BADCRED: a flavor nobody accepts, to a procedure the program has.
        assertArrayEquals(new int[] {2, 1, 1, 1, AuthStat.AUTH_BADCRED},
                roundTrip(call(2, 2, PROG, 1, INC, 12345, new byte[8], ints(1))));
        // AUTH_ERROR AUTH_TOOWEAK from an actor.
        assertArrayEquals(new int[] {3, 1, 1, 1, AuthStat.AUTH_TOOWEAK}, roundTrip(call(3, PROG, 1, TOOWEAK, new byte[0])));
        // PROC_UNAVAIL: a procedure the program lacks.
        assertArrayEquals(new int[] {4, 1, 0, 0, 0, AcceptStat.PROC_UNAVAIL}, roundTrip(call(4, PROG, 1, 9, new byte[0])));
        // Dropped: no reply; the next call's reply comes first.
        send(call(5, PROG, 1, DROP, new byte[0]));
        // PROG_UNAVAIL, PROG_MISMATCH and RPC_MISMATCH belong to no program version.
        assertArrayEquals(new int[] {6, 1, 0, 0, 0, AcceptStat.PROG_UNAVAIL}, roundTrip(call(6, 77, 1, 0, new byte[0])));
        assertArrayEquals(new int[] {7, 1, 0, 0, 0, AcceptStat.PROG_MISMATCH, 1, 1},
                roundTrip(call(7, PROG, 3, 0, new byte[0])));
        assertArrayEquals(new int[] {8, 1, 1, 0, 2, 2},
                roundTrip(call(8, 3, PROG, 1, INC, AuthFlavor.AUTH_NONE, new byte[0], ints(1))));

        awaitEnded(DROP, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> service.metrics().unmatched().ended() == 3);
        ProcedureMetrics inc = procedure(INC);
        assertEquals(2, inc.calls());
        assertEquals(1, inc.endings(ReplyStatus.GARBAGE_ARGS));
        assertEquals(1, inc.endings(ReplyStatus.AUTH_BADCRED));
        assertEquals(1, inc.authErrors());
        assertEquals(0, inc.endings(ReplyStatus.SUCCESS));
        assertEquals(1, procedure(TOOWEAK).endings(ReplyStatus.AUTH_TOOWEAK));
        assertEquals(1, procedure(DROP).endings(ReplyStatus.DROPPED));
        assertEquals(1, procedure(DROP).latency().totalCount());
        ProgramMetrics program = service.metrics().program(PROG, 1).orElseThrow();
        assertEquals(1, program.unknownProcedures().calls());
        assertEquals(1, program.unknownProcedures().endings(ReplyStatus.PROC_UNAVAIL));
        assertEquals(5, program.calls());
        assertEquals(0, program.inFlight());
        ProcedureMetrics unmatched = service.metrics().unmatched();
        assertEquals(3, unmatched.calls());
        assertEquals(1, unmatched.endings(ReplyStatus.PROG_UNAVAIL));
        assertEquals(1, unmatched.endings(ReplyStatus.PROG_MISMATCH));
        assertEquals(1, unmatched.endings(ReplyStatus.RPC_MISMATCH));
        // GF-DUMP is registered and was never called.
        assertEquals(0, service.metrics().program(GfDump.PROGRAM, GfDump.VERSION).orElseThrow().calls());
    }

    @Test
    void aCallIsInFlightUntilItsReplyAndThenItIsNot() throws Exception {
        send(call(1, PROG, 1, HOLD, new byte[0]));
        send(call(2, PROG, 1, HOLD, new byte[0]));
        RpcCall first = held.poll(10, TimeUnit.SECONDS);
        RpcCall second = held.poll(10, TimeUnit.SECONDS);
        assertEquals(2, procedure(HOLD).inFlight());
        assertEquals(0, procedure(HOLD).latency().totalCount());
        first.replyVoid();
        second.drop();
        assertArrayEquals(new int[] {1, 1, 0, 0, 0, 0}, asInts(readRecord(socket.getInputStream())));
        awaitEnded(HOLD, 2);
        ProcedureMetrics hold = procedure(HOLD);
        assertEquals(0, hold.inFlight());
        assertEquals(1, hold.endings(ReplyStatus.SUCCESS));
        assertEquals(1, hold.endings(ReplyStatus.DROPPED));
        assertFalse(first.replyVoid(), "a second reply is no second ending");
        assertEquals(2, procedure(HOLD).ended());
    }

    @Test
    void theStatedumpListsProgramsCountsAndEachConnectionsOutstandingCalls() throws Exception {
        assertArrayEquals(new int[] {1, 1, 0, 0, 0, 0, 8}, roundTrip(call(1, PROG, 1, INC, ints(7))));
        send(call(2, PROG, 1, HOLD, new byte[0]));
        send(call(3, PROG, 1, HOLD, new byte[0]));
        RpcCall first = held.poll(10, TimeUnit.SECONDS);
        held.poll(10, TimeUnit.SECONDS);
        awaitEnded(INC, 1);

        StringBuilder dump = new StringBuilder();
        service.dumpState(dump);
        String text = dump.toString();
        assertTrue(text.startsWith("RpcService: outstanding limit 64 per connection, max record "), text);
        assertTrue(text.contains("1 stream connections"), text);
        assertTrue(text.contains("  serving on stream " + listener.address() + ": accepted 1, refused 0, open 1"),
                text);
        assertTrue(text.contains("    METRICS (" + PROG + " v1): calls 3, in flight 2\n"), text);
        assertTrue(text.contains("      1 INC: calls 1, in flight 0, SUCCESS 1, latency mean "), text);
        assertTrue(text.contains("      3 HOLD: calls 2, in flight 2, latency no calls\n"), text);
        assertTrue(text.contains("    GF-DUMP (123451501 v1): calls 0, in flight 0\n"), text);
        assertTrue(text.contains(":" + socket.getLocalPort() + "]: outstanding calls 2\n"), text);

        first.replyVoid();
        readRecord(socket.getInputStream());
        await().atMost(Duration.ofSeconds(10)).until(() -> dumpOf(service).contains("]: outstanding calls 1\n"));
        socket.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> dumpOf(service).contains(" 0 stream connections\n"));
    }

    private static String dumpOf(RpcService s) throws IOException {
        StringBuilder b = new StringBuilder();
        s.dumpState(b);
        return b.toString();
    }

    @Test
    void histogramBucketsDoubleFromOneMicrosecond() {
        assertEquals(0, LatencyHistogram.bucketOf(0));
        assertEquals(0, LatencyHistogram.bucketOf(1023));
        assertEquals(1, LatencyHistogram.bucketOf(1024));
        assertEquals(1, LatencyHistogram.bucketOf(2047));
        assertEquals(2, LatencyHistogram.bucketOf(2048));
        assertEquals(LatencyHistogram.BUCKETS - 1, LatencyHistogram.bucketOf(Long.MAX_VALUE));
        for (int b = 0; b < LatencyHistogram.BUCKETS; b++) {
            assertEquals(b, LatencyHistogram.bucketOf(LatencyHistogram.lowerBoundNanos(b)), "bucket " + b);
            if (b < LatencyHistogram.BUCKETS - 1) {
                assertEquals(b, LatencyHistogram.bucketOf(LatencyHistogram.upperBoundNanos(b) - 1), "bucket " + b);
            }
        }
        long[] counts = new long[LatencyHistogram.BUCKETS];
        counts[3] = 90; // [4096, 8192) ns
        counts[10] = 10; // [2^19, 2^20) ns
        LatencyHistogram h = new LatencyHistogram(counts, 1000);
        assertEquals(100, h.totalCount());
        assertEquals(8192, h.percentileUpperBoundNanos(0.5));
        assertEquals(8192, h.percentileUpperBoundNanos(0.9));
        assertEquals(1 << 20, h.percentileUpperBoundNanos(0.91));
        assertEquals(1 << 20, h.percentileUpperBoundNanos(1));
        assertThrows(IllegalArgumentException.class, () -> h.percentileUpperBoundNanos(0));
        assertEquals(Duration.ofNanos(10), h.mean());
    }
}
