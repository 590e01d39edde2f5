package io.ripcord.rpc.client;

import static io.ripcord.testsupport.Futures.failure;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.Listener;
import io.ripcord.transport.ReconnectPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RpcClient#metrics()}, {@link RpcUdpClient#metrics()} and {@link RpcClient#describe()}: exact counts. */
class RpcClientMetricsTest {

    private static final int PROG = 0x20000C1C;
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final ReconnectPolicy QUICKLY =
            ReconnectPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(100), 2.0, 0.2, 0);

    private EventPool pool;
    private RpcService service;
    private final List<AutoCloseable> closing = new ArrayList<>();
    /** Calls to NEVER (3), which are answered only when a test says so. */
    private final BlockingQueue<RpcCall> unanswered = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() throws Exception {
        pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("cmetrics").build()).start();
        service = RpcService.create();
        service.register(RpcProgram.builder(PROG, 1, "CM")
                .actor(RpcActor.of(1, "INC", XdrDecoder::readInt, (c, a) -> c.reply(a + 1, XdrEncoder::writeInt)))
                .actor(RpcActor.of(3, "NEVER", RpcActor.IGNORED, (c, a) -> unanswered.add(c)))
                .build());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    private Listener listen(InetSocketAddress address) throws Exception {
        Listener l = service.listen(pool, address);
        closing.add(l::close);
        return l;
    }

    private RpcClient connect(InetSocketAddress address, RpcClientOptions options) throws Exception {
        RpcClient c = RpcClient.connect(pool, address, options).get(10, TimeUnit.SECONDS);
        closing.add(0, c::close);
        return c;
    }

    @Test
    void callsRepliesAndPendingAreCountedExactly() throws Exception {
        Listener l = listen(LOOPBACK);
        RpcClient client = connect((InetSocketAddress) l.address(), RpcClientOptions.defaults());
        for (int i = 0; i < 10; i++) {
            assertEquals(i + 1, (int) client.callSync(PROG, 1, 1, XdrEncoder::writeInt, i, XdrDecoder::readInt));
        }
        // An error reply is a reply.
        assertInstanceOf(RpcException.class, failure(client.call(PROG, 1, 9, RpcActor.VOID)));
        CompletableFuture<Void> pending = client.call(PROG, 1, 3, RpcActor.VOID);
        RpcCall held = unanswered.poll(10, TimeUnit.SECONDS);
        assertNotNull(held);
        assertEquals(new RpcClientMetrics(1, 12, 11, 0, 0, 0, 0, 0), client.metrics());
        held.replyVoid();
        pending.get(10, TimeUnit.SECONDS);
        assertEquals(new RpcClientMetrics(0, 12, 12, 0, 0, 0, 0, 0), client.metrics());
    }

    @Test
    void aTimeoutIsCountedOnceAndItsLateReplyIsNoReply() throws Exception {
        Listener l = listen(LOOPBACK);
        RpcClient client = connect((InetSocketAddress) l.address(), RpcClientOptions.defaults());
        CompletableFuture<Void> call = client.call(PROG, 1, 3, (e, v) -> { }, null, RpcActor.VOID,
                CallOptions.timeout(Duration.ofMillis(100)));
        assertInstanceOf(RpcTimeoutException.class, failure(call));
        RpcCall held = unanswered.poll(10, TimeUnit.SECONDS);
        assertNotNull(held);
        held.replyVoid(); // comes too late: dropped by the client
        assertEquals(7, (int) client.callSync(PROG, 1, 1, XdrEncoder::writeInt, 6, XdrDecoder::readInt));
        assertEquals(new RpcClientMetrics(0, 2, 1, 1, 0, 0, 0, 0), client.metrics());
    }

    @Test
    void aLostConnectionFailsItsWaitingCallsOnceAndTheReconnectCountsOnce() throws Exception {
        Listener l = listen(LOOPBACK);
        RpcClient client = connect((InetSocketAddress) l.address(),
                RpcClientOptions.builder().reconnectPolicy(QUICKLY).build());
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(client.call(PROG, 1, 3, RpcActor.VOID));
        }
        RpcCall held = null;
        for (int i = 0; i < 3; i++) {
            held = unanswered.poll(10, TimeUnit.SECONDS);
        }
        assertNotNull(held);
        String waiting = client.describe();
        assertTrue(waiting.startsWith("RpcClient[" + l.address() + "]: connected "), waiting);
        assertTrue(waiting.contains("; pending 3, calls 3, replies 0"), waiting);
        assertEquals(3, waiting.split("\n  waiting: program " + PROG + " version 1 procedure 3 \\(xid 0x", -1).length - 1,
                waiting);
        assertTrue(waiting.contains("times out in "), waiting);

        held.transport().close(); // the server hangs up
        for (CompletableFuture<Void> c : calls) {
            assertInstanceOf(RpcDisconnectedException.class, failure(c));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> client.metrics().reconnects() == 1);
        assertEquals(1, (int) client.callSync(PROG, 1, 1, XdrEncoder::writeInt, 0, XdrDecoder::readInt));
        assertEquals(new RpcClientMetrics(0, 4, 1, 0, 3, 1, 0, 0), client.metrics());
    }

    @Test
    void aReconnectThatGivesUpIsOneConnectFailure() throws Exception {
        Listener l = listen(LOOPBACK);
        RpcClient client = connect((InetSocketAddress) l.address(), RpcClientOptions.builder()
                .reconnectPolicy(ReconnectPolicy.exponential(Duration.ofMillis(10), Duration.ofMillis(20), 2.0, 0, 2))
                .build());
        client.call(PROG, 1, 3, RpcActor.VOID);
        RpcCall held = unanswered.poll(10, TimeUnit.SECONDS);
        assertNotNull(held);
        l.close(); // nobody listens any more
        held.transport().close();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.metrics().connectFailures() == 1);
        assertEquals(new RpcClientMetrics(0, 1, 0, 0, 1, 0, 1, 0), client.metrics());
        assertTrue(client.describe().contains(": not connected; pending 0"), client.describe());
    }

    @Test
    void aDatagramClientCountsItsCallsRepliesAndTimeouts() throws Exception {
        InetSocketAddress at = (InetSocketAddress) service.listenUdp(pool, LOOPBACK).address();
        RpcUdpClient client = RpcUdpClient.open(pool, at, RpcClientOptions.builder()
                .retransmitInterval(Duration.ofSeconds(5)).build());
        closing.add(0, client::close);
        assertEquals(5, (int) client.callSync(PROG, 1, 1, XdrEncoder::writeInt, 4, XdrDecoder::readInt));
        assertInstanceOf(RpcTimeoutException.class, failure(client.call(PROG, 1, 3, (e, v) -> { }, null,
                RpcActor.VOID, CallOptions.timeout(Duration.ofMillis(100)))));
        assertEquals(new RpcClientMetrics(0, 2, 1, 1, 0, 0, 0, 0), client.metrics());
    }
}
