package io.ripcord.rpc.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.RpcService;
import io.ripcord.testsupport.External;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.DatagramEndpoint;
import io.ripcord.transport.DisconnectCause;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link RpcUdpClient} against {@code RpcService.listenUdp}, hand-made UDP servers that lose things, and rpcbind. */
class RpcUdpClientTest {

    private static final int PROG = 0x20000D0D;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private EventPool pool;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void setUp() {
        pool = EventPool.create(EventPoolOptions.builder().pollers(2).threadNamePrefix("udpc").build()).start();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    private RpcUdpClient client(InetSocketAddress server, RpcClientOptions options) throws Exception {
        RpcUdpClient c = RpcUdpClient.open(pool, server, options);
        toClose.add(c);
        return c;
    }

    /** A blocking UDP socket on loopback playing the server, closed after the test. */
    private DatagramSocket fakeServer() throws Exception {
        DatagramSocket s = new DatagramSocket(0, LOOPBACK);
        s.setSoTimeout(10_000);
        toClose.add(s);
        return s;
    }

    private static InetSocketAddress addressOf(DatagramSocket s) {
        return new InetSocketAddress(LOOPBACK, s.getLocalPort());
    }

    private static DatagramPacket receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
        s.receive(p);
        return p;
    }

    /** A SUCCESS reply carrying one int, to the call in {@code call}. */
    private static byte[] intReply(DatagramPacket call, int result) {
        int xid = ByteBuffer.wrap(call.getData(), 0, call.getLength()).getInt(0);
        return ByteBuffer.allocate(28).putInt(xid).putInt(1).putInt(0).putInt(0).putInt(0).putInt(0)
                .putInt(result).array();
    }

    @Test
    void callsToAnRpcServiceOverUdpGetTheirResultsAndItsErrorsTyped() throws Exception {
        RpcService service = RpcService.create();
        AtomicInteger runs = new AtomicInteger();
        service.register(RpcProgram.builder(PROG, 1, "UDP-TEST")
                .actor(RpcActor.of(0, "NULL", RpcActor.VOID, (c, a) -> c.replyVoid()))
                .actor(RpcActor.of(1, "INC", XdrDecoder::readInt, (c, a) -> {
                    runs.incrementAndGet();
                    c.reply(a + 1, XdrEncoder::writeInt);
                }))
                .build());
        DatagramEndpoint udp = service.listenUdp(pool, new InetSocketAddress(LOOPBACK, 0));
        toClose.add(udp::close);
        RpcUdpClient c = client((InetSocketAddress) udp.address(), RpcClientOptions.defaults());

        assertEquals(42, c.callSync(PROG, 1, 1, XdrEncoder::writeInt, 41, XdrDecoder::readInt,
                CallOptions.defaults()));
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            calls.add(c.call(PROG, 1, 1, XdrEncoder::writeInt, i, XdrDecoder::readInt));
        }
        for (int i = 0; i < calls.size(); i++) {
            assertEquals(i + 1, calls.get(i).get(30, TimeUnit.SECONDS));
        }
        assertEquals(0, c.outstandingCalls());
        ExecutionException unavailable = assertThrows(ExecutionException.class,
                () -> c.call(PROG + 1, 1, 0, RpcActor.IGNORED).get(10, TimeUnit.SECONDS));
        assertInstanceOf(ProgramUnavailableException.class, unavailable.getCause());
        ExecutionException mismatch = assertThrows(ExecutionException.class,
                () -> c.call(PROG, 7, 0, RpcActor.IGNORED).get(10, TimeUnit.SECONDS));
        ProgramMismatchException m = assertInstanceOf(ProgramMismatchException.class, mismatch.getCause());
        assertEquals(1, m.low());
        assertEquals(1, m.high());
        // Every call ran at least once; a copy that was resent because a datagram was lost (1,000 at once can
        // overflow a socket buffer) may have run again: at least once, as UDP RPC is.
        long resent = c.retransmissions();
        assertTrue(runs.get() >= 1001 && runs.get() <= 1001 + resent, runs.get() + " runs, " + resent + " resent");
    }

    @Test
    void aCallWhoseFirstDatagramIsLostIsSentAgainWithTheSameXidAndAnswered() throws Exception {
        DatagramSocket server = fakeServer();
        RpcUdpClient c = client(addressOf(server), RpcClientOptions.builder()
                .retransmitInterval(Duration.ofMillis(100)).build());
        CompletableFuture<Integer> call = c.call(PROG, 1, 1, XdrEncoder::writeInt, 5, XdrDecoder::readInt);
        DatagramPacket first = receive(server); // "lost": not answered
        byte[] firstBytes = Arrays.copyOf(first.getData(), first.getLength());
        long t0 = System.nanoTime();
        DatagramPacket second = receive(server);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertArrayEquals(firstBytes, Arrays.copyOf(second.getData(), second.getLength()), "the same call again");
        assertTrue(waitedMillis >= 50, "resent after " + waitedMillis + " ms, before the interval");
        byte[] reply = intReply(second, 6);
        server.send(new DatagramPacket(reply, reply.length, second.getSocketAddress()));
        assertEquals(6, call.get(10, TimeUnit.SECONDS));
        assertEquals(1, c.retransmissions());
        // A late reply to the first copy finds no call: dropped, nothing completes twice.
        server.send(new DatagramPacket(reply, reply.length, first.getSocketAddress()));
        assertEquals(0, c.outstandingCalls());
    }

    @Test
    void anUnansweredCallIsResentWithBackoffAndTimesOutOnce() throws Exception {
        DatagramSocket server = fakeServer();
        RpcUdpClient c = client(addressOf(server), RpcClientOptions.builder()
                .retransmitInterval(Duration.ofMillis(100)).callTimeout(Duration.ofMillis(1000)).build());
        long t0 = System.nanoTime();
        CompletableFuture<Integer> call = c.call(PROG, 1, 1, XdrEncoder::writeInt, 5, XdrDecoder::readInt);
        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertInstanceOf(RpcTimeoutException.class, e.getCause());
        assertTrue(tookMillis >= 1000, "timed out after " + tookMillis + " ms");
        // Resent after 100, 300 and 700 ms (100, 200, 400 apart); the next would be at 1,500 ms.
        assertEquals(3, c.retransmissions(), "retransmissions");
        int copies = 0;
        server.setSoTimeout(500);
        try {
            for (;;) {
                receive(server);
                copies++;
            }
        } catch (java.net.SocketTimeoutException drained) {
            // every copy has been read
        }
        assertEquals(4, copies, "the call and its 3 copies");
        assertEquals(0, c.outstandingCalls());
    }

    @Test
    void aReplyFromAnotherAddressIsIgnored() throws Exception {
        DatagramSocket server = fakeServer();
        DatagramSocket impostor = fakeServer();
        RpcUdpClient c = client(addressOf(server), RpcClientOptions.builder()
                .callTimeout(Duration.ofMillis(2000)).build());
        CompletableFuture<Integer> call = c.call(PROG, 1, 1, XdrEncoder::writeInt, 5, XdrDecoder::readInt);
        DatagramPacket p = receive(server);
        byte[] forged = intReply(p, 666);
        impostor.send(new DatagramPacket(forged, forged.length, p.getSocketAddress()));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> c.foreignReplies() == 1);
        byte[] real = intReply(p, 6);
        server.send(new DatagramPacket(real, real.length, p.getSocketAddress()));
        assertEquals(6, call.get(10, TimeUnit.SECONDS));
    }

    @Test
    void closeFailsWaitingCallsOnceAndLaterCallsAtOnce() throws Exception {
        DatagramSocket server = fakeServer();
        RpcUdpClient c = client(addressOf(server), RpcClientOptions.defaults());
        CompletableFuture<Integer> waiting = c.call(PROG, 1, 1, XdrEncoder::writeInt, 5, XdrDecoder::readInt);
        receive(server);
        c.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
        RpcDisconnectedException d = assertInstanceOf(RpcDisconnectedException.class, e.getCause());
        assertEquals(DisconnectCause.LOCAL_CLOSE, d.disconnectCause());
        CompletableFuture<Integer> after = c.call(PROG, 1, 1, XdrEncoder::writeInt, 5, XdrDecoder::readInt);
        assertTrue(after.isCompletedExceptionally(), "a call after close fails at once");
    }

    @Test
    void aCallTooBigForADatagramFailsAtOnce() throws Exception {
        DatagramSocket server = fakeServer();
        RpcUdpClient c = client(addressOf(server), RpcClientOptions.defaults());
        CompletableFuture<Void> call = c.call(PROG, 1, 1, (enc, v) -> enc.writeOpaque(new byte[70_000], 100_000),
                null, RpcActor.IGNORED, CallOptions.defaults());
        ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("does not fit in a UDP datagram"), e.getCause().getMessage());
    }

    /** The real rpcbind answers over UDP on port 111: NULL, and PMAPPROC_GETPORT of itself (UDP) is 111. */
    @Test
    @Tag("external")
    void rpcbindAnswersOverUdp() throws Exception {
        External.requireRpcbind();
        RpcUdpClient c = client(new InetSocketAddress(LOOPBACK, 111), RpcClientOptions.defaults());
        c.callSync(100_000, 2, 0, RpcActor.IGNORED);
        int port = c.callSync(100_000, 2, 3, (enc, v) -> {
            enc.writeInt(100_000);
            enc.writeInt(2);
            enc.writeInt(17); // IPPROTO_UDP
            enc.writeInt(0);
        }, null, XdrDecoder::readInt, CallOptions.defaults());
        assertEquals(111, port);
        // And through RpcbindClient, which takes any RpcCaller.
        assertEquals(111, io.ripcord.rpc.rpcbind.RpcbindClient.over(c)
                .getPort(100_000, 2, io.ripcord.rpc.rpcbind.Protocol.UDP).get(10, TimeUnit.SECONDS));
    }
}
