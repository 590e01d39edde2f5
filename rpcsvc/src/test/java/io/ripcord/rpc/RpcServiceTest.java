package io.ripcord.rpc;

import static io.ripcord.rpc.Wire.asInts;
import static io.ripcord.rpc.Wire.call;
import static io.ripcord.rpc.Wire.concat;
import static io.ripcord.rpc.Wire.ints;
import static io.ripcord.rpc.Wire.readRecord;
import static io.ripcord.rpc.Wire.record;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.auth.AuthSysCredential;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.DatagramEndpoint;
import io.ripcord.transport.Listener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RpcServiceTest {

    static final int PROG = 0x20000B0B;
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private EventPool pool;
    private RpcService service;
    private Listener listener;
    private Socket socket;
    /** The same service over UDP: every {@link #roundTrip} also goes this way and must get the same reply. */
    private DatagramEndpoint udp;
    private DatagramSocket udpClient;
    private final List<Object> dispatched = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    @BeforeEach
    void setUp() throws IOException {
        pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("rpc").build()).start();
        service = RpcService.create(RpcServiceOptions.builder().maxRecordSize(64 * 1024).build());
        service.register(program(2));
        service.register(program(5));
        listener = service.listen(pool, LOOPBACK);
        socket = connect();
        udp = service.listenUdp(pool, LOOPBACK);
        udpClient = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        udpClient.setSoTimeout(10_000);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(listener.address(), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Version v of a test program: proc 1 echoes an int + 1; proc 2 throws; proc 3 replies from a thread. */
    private RpcProgram program(int v) {
        return RpcProgram.builder(PROG, v, "TEST")
                .actor(RpcActor.of(0, "NULL", RpcActor.VOID, (c, a) -> c.replyVoid()))
                .actor(RpcActor.of(1, "INC", io.ripcord.rpc.xdr.XdrDecoder::readInt, (c, a) -> {
                    dispatched.add(a);
                    c.reply(a + 1, XdrEncoder::writeInt);
                }))
                .actor(RpcActor.of(2, "BOOM", RpcActor.VOID, (c, a) -> {
                    throw new IllegalStateException("boom");
                }))
                .actor(RpcActor.of(3, "LATER", io.ripcord.rpc.xdr.XdrDecoder::readInt, (c, a) ->
                        executor.execute(() -> c.reply(a * 2, XdrEncoder::writeInt))))
                .actor(RpcActor.of(4, "ON_EXECUTOR", io.ripcord.rpc.xdr.XdrDecoder::readInt, (c, a) -> {
                    dispatched.add(Thread.currentThread().getName());
                    c.reply(a, XdrEncoder::writeInt);
                }).on(executor))
                .actor(RpcActor.of(5, "WHO", RpcActor.VOID, (c, a) ->
                        c.reply(((AuthSysCredential) c.principal()).machineName(), (e, s) -> e.writeString(s, 255))))
                .build();
    }

    @AfterEach
    void tearDown() throws Exception {
        socket.close();
        udpClient.close();
        udp.close();
        listener.close();
        executor.shutdownNow();
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    /** Sends {@code msg} as a record over TCP and as a datagram over UDP; both replies must be the same. */
    private int[] roundTrip(byte[] msg) throws IOException {
        socket.getOutputStream().write(record(msg));
        int[] overTcp = asInts(readRecord(socket.getInputStream()));
        assertArrayEquals(overTcp, udpRoundTrip(msg), "the reply over UDP differs from the one over TCP");
        return overTcp;
    }

    private int[] udpRoundTrip(byte[] msg) throws IOException {
        udpClient.send(new DatagramPacket(msg, msg.length, udp.address()));
        DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
        udpClient.receive(p);
        return asInts(java.util.Arrays.copyOf(p.getData(), p.getLength()));
    }

    @Test
    void successRepliesEchoTheXidWithANullVerifier() throws IOException {
        assertArrayEquals(new int[] {0x1234, 1, 0, 0, 0, 0, 42},
                roundTrip(call(0x1234, PROG, 2, 1, ints(41))));
        assertArrayEquals(new int[] {7, 1, 0, 0, 0, 0}, roundTrip(call(7, PROG, 5, 0, new byte[0])));
    }

    @Test
    void rpcVersionOtherThanTwoIsDeniedWithRpcMismatchTwoToTwo() throws IOException {
        assertArrayEquals(new int[] {9, 1, 1, 0, 2, 2},
                roundTrip(call(9, 3, PROG, 2, 1, AuthFlavor.AUTH_NONE, new byte[0], ints(1))));
    }

    @Test
    void unknownCredentialFlavorIsDeniedBadCredNotDowngraded() throws IOException {
        assertArrayEquals(new int[] {10, 1, 1, 1, AuthStat.AUTH_BADCRED},
                roundTrip(call(10, 2, PROG, 2, 1, 12345, new byte[8], ints(1))));
        assertTrue(dispatched.isEmpty());
    }

    @Test
    void malformedAndOversizedAuthSysCredentialsAreDeniedBadCred() throws IOException {
        // Four bytes: a stamp and nothing else.
        assertArrayEquals(new int[] {11, 1, 1, 1, AuthStat.AUTH_BADCRED},
                roundTrip(call(11, 2, PROG, 2, 1, AuthFlavor.AUTH_SYS, new byte[4], ints(1))));
        // 17 gids.
        XdrEncoder e = new XdrEncoder();
        e.writeInt(1);
        e.writeString("host", 255);
        e.writeInt(0);
        e.writeInt(0);
        e.writeInt(17);
        for (int i = 0; i < 17; i++) {
            e.writeInt(i);
        }
        assertArrayEquals(new int[] {12, 1, 1, 1, AuthStat.AUTH_BADCRED},
                roundTrip(call(12, 2, PROG, 2, 1, AuthFlavor.AUTH_SYS, bytes(e), ints(1))));
        // A machine name of 256 bytes.
        e = new XdrEncoder();
        e.writeInt(1);
        e.writeInt(256);
        e.writeFixedOpaque(new byte[256]);
        e.writeInt(0);
        e.writeInt(0);
        e.writeInt(0);
        assertArrayEquals(new int[] {13, 1, 1, 1, AuthStat.AUTH_BADCRED},
                roundTrip(call(13, 2, PROG, 2, 1, AuthFlavor.AUTH_SYS, bytes(e), ints(1))));
        // A credential body of 404 bytes (over the 400-byte limit of RFC 5531).
        assertArrayEquals(new int[] {14, 1, 1, 1, AuthStat.AUTH_BADCRED},
                roundTrip(call(14, 2, PROG, 2, 1, AuthFlavor.AUTH_SYS, new byte[404], ints(1))));
        // AUTH_NONE with a body.
        assertArrayEquals(new int[] {15, 1, 1, 1, AuthStat.AUTH_BADCRED},
                roundTrip(call(15, 2, PROG, 2, 1, AuthFlavor.AUTH_NONE, new byte[4], ints(1))));
        assertTrue(dispatched.isEmpty());
        // And the connection still serves.
        assertArrayEquals(new int[] {16, 1, 0, 0, 0, 0, 2}, roundTrip(call(16, PROG, 2, 1, ints(1))));
    }

    @Test
    void authSysCallerReachesTheActor() throws IOException {
        XdrEncoder e = new XdrEncoder();
        new AuthSysCredential(77, "client-host", 1000, 100, new int[] {4, 24}).encode(e);
        int[] reply = roundTrip(call(17, 2, PROG, 2, 5, AuthFlavor.AUTH_SYS, bytes(e), new byte[0]));
        assertEquals(17, reply[0]);
        assertEquals(AcceptStat.SUCCESS, reply[5]);
        assertEquals("client-host".length(), reply[6]);
    }

    @Test
    void unknownProgramIsProgUnavail() throws IOException {
        assertArrayEquals(new int[] {20, 1, 0, 0, 0, AcceptStat.PROG_UNAVAIL},
                roundTrip(call(20, 0x20000099, 1, 0, new byte[0])));
    }

    @Test
    void progMismatchReportsLowestAndHighestRegisteredVersions() throws IOException {
        assertArrayEquals(new int[] {21, 1, 0, 0, 0, AcceptStat.PROG_MISMATCH, 2, 5},
                roundTrip(call(21, PROG, 3, 0, new byte[0])));
        assertArrayEquals(new int[] {22, 1, 0, 0, 0, AcceptStat.PROG_MISMATCH, 2, 5},
                roundTrip(call(22, PROG, 0, 0, new byte[0])));
    }

    @Test
    void aProgramsSecurityPolicyDeniesBeforeTheProcedureIsLookedUpAndAfterTheVersionIs() throws IOException {
        java.util.concurrent.atomic.AtomicInteger checked = new java.util.concurrent.atomic.AtomicInteger();
        service.register(RpcProgram.builder(0x20000B0C, 1, "GUARDED")
                .actor(RpcActor.of(1, "INC", io.ripcord.rpc.xdr.XdrDecoder::readInt, (c, a) -> {
                    dispatched.add(a);
                    c.reply(a + 1, XdrEncoder::writeInt);
                }))
                .security(SecurityPolicy.ANY.and(c -> {
                    checked.incrementAndGet();
                    return c.credentialFlavor() == AuthFlavor.AUTH_SYS ? AuthStat.AUTH_OK : AuthStat.AUTH_TOOWEAK;
                }))
                .build());
        // AUTH_NONE: denied AUTH_TOOWEAK, even for a procedure that does not exist and arguments that do not decode.
        assertArrayEquals(new int[] {40, 1, 1, 1, AuthStat.AUTH_TOOWEAK},
                roundTrip(call(40, 0x20000B0C, 1, 1, ints(7))));
        assertArrayEquals(new int[] {41, 1, 1, 1, AuthStat.AUTH_TOOWEAK},
                roundTrip(call(41, 0x20000B0C, 1, 99, new byte[3])));
        // Another version is PROG_MISMATCH for anyone: rpcinfo's discovery works without credentials.
        assertArrayEquals(new int[] {42, 1, 0, 0, 0, AcceptStat.PROG_MISMATCH, 1, 1},
                roundTrip(call(42, 0x20000B0C, 2, 1, ints(7))));
        assertEquals(4, checked.get(), "checked once per call that found its version, over TCP and UDP");
        assertTrue(dispatched.isEmpty(), "no actor ran for a refused call: " + dispatched);
        // AUTH_SYS passes and the actor runs.
        XdrEncoder e = new XdrEncoder();
        new AuthSysCredential(1, "host", 0, 0, new int[0]).encode(e);
        assertArrayEquals(new int[] {43, 1, 0, 0, 0, 0, 8},
                roundTrip(call(43, 2, 0x20000B0C, 1, 1, AuthFlavor.AUTH_SYS, bytes(e), ints(7))));
    }

    @Test
    void unknownProcedureIsProcUnavail() throws IOException {
        assertArrayEquals(new int[] {23, 1, 0, 0, 0, AcceptStat.PROC_UNAVAIL},
                roundTrip(call(23, PROG, 2, 99, new byte[0])));
    }

    @Test
    void argumentsThatDoNotDecodeOrLeaveBytesOverAreGarbageArgs() throws IOException {
        assertArrayEquals(new int[] {24, 1, 0, 0, 0, AcceptStat.GARBAGE_ARGS},
                roundTrip(call(24, PROG, 2, 1, new byte[2])));
        assertArrayEquals(new int[] {25, 1, 0, 0, 0, AcceptStat.GARBAGE_ARGS},
                roundTrip(call(25, PROG, 2, 1, ints(1, 2))));
        assertArrayEquals(new int[] {26, 1, 0, 0, 0, AcceptStat.GARBAGE_ARGS},
                roundTrip(call(26, PROG, 2, 4, new byte[0])));
        assertTrue(dispatched.isEmpty());
    }

    @Test
    void anActorThatThrowsGetsSystemErr() throws IOException {
        assertArrayEquals(new int[] {27, 1, 0, 0, 0, AcceptStat.SYSTEM_ERR},
                roundTrip(call(27, PROG, 2, 2, new byte[0])));
        assertArrayEquals(new int[] {28, 1, 0, 0, 0, 0, 6}, roundTrip(call(28, PROG, 2, 1, ints(5))));
    }

    @Test
    void truncatedCallHeaderIsGarbageArgsWithItsXid() throws IOException {
        assertArrayEquals(new int[] {29, 1, 0, 0, 0, AcceptStat.GARBAGE_ARGS},
                roundTrip(ints(29, MsgType.CALL, 2, PROG)));
    }

    @Test
    void aReplySentToTheServerIsDroppedAndTheConnectionKeepsServing() throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(record(ints(30, MsgType.REPLY, 0, 0, 0, 0)));
        out.write(record(ints(31)));   // only an xid: dropped too
        assertArrayEquals(new int[] {32, 1, 0, 0, 0, 0, 3}, roundTrip(call(32, PROG, 2, 1, ints(2))));
    }

    @Test
    void aRecordTooShortForAnXidClosesTheConnection() throws IOException {
        socket.getOutputStream().write(concat(ints(0x80000002), new byte[] {1, 2}));
        assertEquals(-1, socket.getInputStream().read());
        try (Socket other = connect()) {
            other.getOutputStream().write(record(call(33, PROG, 2, 1, ints(1))));
            assertEquals(33, asInts(readRecord(other.getInputStream()))[0]);
        }
    }

    @Test
    void aRecordOverTheMaximumClosesTheConnectionAtOnce() throws IOException {
        socket.getOutputStream().write(ints(0x80000000 | (64 * 1024 + 1)));
        assertEquals(-1, socket.getInputStream().read());
    }

    @Test
    void multiFragmentRecordsAndOneByteSegmentsStillWork() throws IOException {
        byte[] msg = call(34, PROG, 2, 1, ints(9));
        byte[] wire = concat(ints(10), java.util.Arrays.copyOfRange(msg, 0, 10),
                ints(0x80000000 | (msg.length - 10)), java.util.Arrays.copyOfRange(msg, 10, msg.length));
        OutputStream out = socket.getOutputStream();
        socket.setTcpNoDelay(true);
        for (byte b : wire) {
            out.write(b);
            out.flush();
        }
        assertArrayEquals(new int[] {34, 1, 0, 0, 0, 0, 10}, asInts(readRecord(socket.getInputStream())));
    }

    @Test
    void repliesMayComeLaterFromAnyThreadAndActorsMayRunOnAnExecutor() throws IOException {
        assertArrayEquals(new int[] {35, 1, 0, 0, 0, 0, 14}, roundTrip(call(35, PROG, 2, 3, ints(7))));
        assertArrayEquals(new int[] {36, 1, 0, 0, 0, 0, 8}, roundTrip(call(36, PROG, 2, 4, ints(8))));
        assertTrue(((String) dispatched.get(0)).startsWith("pool-"), "ran on " + dispatched.get(0));
    }

    @Test
    void pipelinedCallsAreAllAnswered() throws IOException {
        OutputStream out = socket.getOutputStream();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 500; i++) {
            all.write(record(call(1000 + i, PROG, 2, 1, ints(i))));
        }
        out.write(all.toByteArray());
        InputStream in = socket.getInputStream();
        for (int i = 0; i < 500; i++) {
            assertArrayEquals(new int[] {1000 + i, 1, 0, 0, 0, 0, i + 1}, asInts(readRecord(in)));
        }
    }

    @Test
    void atTheOutstandingLimitReadingStopsUntilRepliesAreWritten() throws Exception {
        RpcService throttled = RpcService.create(RpcServiceOptions.builder().outstandingLimit(4).build());
        List<RpcCall> held = new CopyOnWriteArrayList<>();
        throttled.register(RpcProgram.builder(PROG, 1, "HOLD")
                .actor(RpcActor.of(1, "HOLD", RpcActor.VOID, (c, a) -> held.add(c))).build());
        try (Listener l = throttled.listen(pool, LOOPBACK); Socket s = new Socket()) {
            s.connect(l.address(), 5000);
            s.setSoTimeout(10_000);
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 10; i++) {
                all.write(record(call(i, PROG, 1, 1, new byte[0])));
            }
            s.getOutputStream().write(all.toByteArray());
            await().atMost(Duration.ofSeconds(5)).until(() -> held.size() == 4);
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> held.size() == 4);
            // Each reply written lets one more call in.
            for (int i = 0; i < 10; i++) {
                int n = i;
                await().atMost(Duration.ofSeconds(5)).until(() -> held.size() > n);
                held.get(i).replyVoid();
                assertEquals(i, asInts(readRecord(s.getInputStream()))[0]);
            }
            assertEquals(10, held.size());
        }
    }

    @Test
    void aPipelineLongerThanTheLimitWithInlineRepliesIsAllAnswered() throws Exception {
        // Replies written in one batch after the read release the throttle while the rest of the pipeline
        // sits in the connection's buffer: it must be delivered without waiting for more bytes. The acceptor
        // waits until the client has written the whole pipeline, so the first read holds all of it.
        RpcService small = RpcService.create(RpcServiceOptions.builder().outstandingLimit(4).build());
        small.register(program(2));
        CountDownLatch written = new CountDownLatch(1);
        io.ripcord.transport.ListenerOptions lo = io.ripcord.transport.ListenerOptions.builder()
                .transportOptions(io.ripcord.transport.TransportOptions.builder()
                        .decoder(() -> new RecordMarkingDecoder(64 * 1024)).build()).build();
        try (Listener l = Listener.bind(pool, LOOPBACK, lo, t -> {
            written.await(10, TimeUnit.SECONDS);
            return small.acceptor().accept(t);
        }); Socket s = new Socket()) {
            s.connect(l.address(), 5000);
            s.setSoTimeout(10_000);
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 100; i++) {
                all.write(record(call(i, PROG, 2, 1, ints(i))));
            }
            s.getOutputStream().write(all.toByteArray());
            written.countDown();
            for (int i = 0; i < 100; i++) {
                assertArrayEquals(new int[] {i, 1, 0, 0, 0, 0, i + 1}, asInts(readRecord(s.getInputStream())));
            }
        }
    }

    @Test
    void gfDumpPingMatchesGlusterdByteForByte() throws IOException {
        // glusterd 10.3's reply to PING, captured on loopback (see the rpcsvc README).
        assertArrayEquals(new int[] {0x1002, 1, 0, 0, 0, 0, 0, 0, 0},
                roundTrip(call(0x1002, GfDump.PROGRAM, 1, GfDump.PING, new byte[0])));
        // PING ignores its arguments, as glusterd does.
        assertArrayEquals(new int[] {0x1003, 1, 0, 0, 0, 0, 0, 0, 0},
                roundTrip(call(0x1003, GfDump.PROGRAM, 1, GfDump.PING, new byte[8])));
    }

    @Test
    void gfDumpListsEveryRegisteredProgramInGlusterdsFormat() throws IOException {
        socket.getOutputStream().write(record(call(0x1004, GfDump.PROGRAM, 1, GfDump.DUMP,
                ints(0x11223344, 0x55667788))));
        ByteBuffer r = ByteBuffer.wrap(readRecord(socket.getInputStream()));
        assertEquals(0x1004, r.getInt());
        assertEquals(1, r.getInt());
        assertEquals(0, r.getInt());
        assertEquals(0, r.getLong(), "verifier");
        assertEquals(0, r.getInt(), "SUCCESS");
        assertEquals(0, r.getLong(), "gfs_id");
        assertEquals(0, r.getInt(), "op_ret");
        assertEquals(0, r.getInt(), "op_errno");
        List<String> seen = new ArrayList<>();
        while (r.getInt() == 1) {
            byte[] name = new byte[r.getInt()];
            r.get(name);
            r.position(Wire.pad(r.position()));
            seen.add(new String(name, java.nio.charset.StandardCharsets.US_ASCII) + " " + r.getLong() + " v"
                    + r.getLong());
        }
        assertEquals(List.of("GF-DUMP 123451501 v1", "TEST " + PROG + " v2", "TEST " + PROG + " v5"), seen);
        assertEquals(0, r.remaining());
    }

    @Test
    void gfDumpNullAnswersSoRpcinfoCanProbeIt() throws IOException {
        assertArrayEquals(new int[] {0x1001, 1, 0, 0, 0, 0},
                roundTrip(call(0x1001, GfDump.PROGRAM, 1, GfDump.NULL, new byte[0])));
    }

    /**
     * Every other test's {@link #roundTrip} checks UDP gives the same replies; this one sends what gets no
     * reply (a REPLY, a bare xid, two bytes, an empty datagram): the next datagram back is the answer to the
     * valid call sent after them.
     */
    @Test
    void overUdpWhatCannotBeAnsweredGetsNoDatagram() throws Exception {
        for (byte[] unanswerable : List.of(ints(30, MsgType.REPLY, 0, 0, 0, 0), ints(31), new byte[] {1, 2},
                new byte[0])) {
            udpClient.send(new DatagramPacket(unanswerable, unanswerable.length, udp.address()));
        }
        assertArrayEquals(new int[] {40, 1, 0, 0, 0, 0, 100}, udpRoundTrip(call(40, PROG, 2, 1, ints(99))));
    }

    @Test
    void aServiceMayLeaveGfDumpOut() throws Exception {
        RpcService plain = RpcService.create(RpcServiceOptions.builder().gfDump(false).build());
        plain.register(program(2));
        assertEquals(List.of("TEST(" + Integer.toUnsignedString(PROG) + " v2)"),
                plain.programs().stream().map(RpcProgram::toString).collect(java.util.stream.Collectors.toList()));
        try (Listener l = plain.listen(pool, LOOPBACK); Socket s = new Socket()) {
            s.connect(l.address(), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(record(call(0x1005, GfDump.PROGRAM, 1, GfDump.PING, new byte[0])));
            assertArrayEquals(new int[] {0x1005, 1, 0, 0, 0, AcceptStat.PROG_UNAVAIL},
                    asInts(readRecord(s.getInputStream())));
        }
        assertEquals(GfDump.NAME, service.programs().get(0).name(), "on by default, first");
    }

    @Test
    void programListenersHearAcceptDisconnectAndDestroy() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch destroyed = new CountDownLatch(1);
        // The connection setUp made must be accepted before WATCH exists, or WATCH hears its ACCEPT too.
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.connectionCount() == 1);
        service.register(RpcProgram.builder(0x20000C0C, 1, "WATCH").listener(new RpcProgramListener() {
            @Override
            public void onAccept(io.ripcord.transport.Transport t) {
                events.add("ACCEPT");
            }

            @Override
            public void onDisconnect(io.ripcord.transport.Transport t) {
                events.add("DISCONNECT");
            }

            @Override
            public void onTransportDestroy(io.ripcord.transport.Transport t) {
                events.add("DESTROY");
                destroyed.countDown();
            }
        }).build());
        Socket s = connect();
        s.getOutputStream().write(record(call(50, PROG, 2, 0, new byte[0])));
        readRecord(s.getInputStream());
        s.close();
        assertTrue(destroyed.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("ACCEPT", "DISCONNECT", "DESTROY"), events);
    }

    @Test
    void registeringTheSameVersionTwiceIsRefusedAndUnregisterWorks() throws IOException {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> service.register(program(2)));
        assertTrue(service.unregister(PROG, 5));
        assertArrayEquals(new int[] {60, 1, 0, 0, 0, AcceptStat.PROG_MISMATCH, 2, 2},
                roundTrip(call(60, PROG, 5, 0, new byte[0])));
    }

    private static byte[] bytes(XdrEncoder e) {
        ByteBuffer b = e.toBuffer();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

}
