package io.ripcord.testkit;

import static io.ripcord.testsupport.Futures.failure;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.rpc.GfDump;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.client.CallOptions;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcClientOptions;
import io.ripcord.rpc.client.RpcDisconnectedException;
import io.ripcord.rpc.client.RpcTimeoutException;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.DisconnectCause;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code RpcClient}'s timeouts and ping (GlusterFS's rpc-clnt-ping) against a scripted server, on a manual clock:
 * each deadline is checked to the millisecond, and none of the test's time is spent waiting for one. (These were
 * {@code RpcClientTest} cases timed by the wall clock.)
 */
class RpcClientTimeoutsTest {

    static final int PROG = 0x20000C0C;

    private final ManualClock clock = new ManualClock();
    private EventPool pool;
    private ScriptedServer server;

    @BeforeEach
    void setUp() throws Exception {
        pool = clock.startPool(2);
        server = ScriptedServer.start(pool);
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    private RpcClient connect(RpcClientOptions options) throws Exception {
        return RpcClient.connect(pool, server.address(), options).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCallWithNoReplyTimesOutAtItsDeadlineAndItsXidIsForgotten() throws Exception {
        try (RpcClient client = connect(RpcClientOptions.defaults())) {
            CompletableFuture<Void> f = client.call(PROG, 2, 3, (e, v) -> { }, null, RpcActor.VOID,
                    CallOptions.timeout(Duration.ofMillis(200)));
            ScriptedCall unanswered = server.nextCall();
            clock.advance(Duration.ofMillis(199));
            assertFalse(f.isDone(), "one millisecond early");
            clock.advance(Duration.ofMillis(1));
            RpcTimeoutException e = assertInstanceOf(RpcTimeoutException.class, failure(f));
            assertTrue(e.getMessage().contains("no reply within 200 ms"), e.getMessage());
            assertEquals(0, client.outstandingCalls());
            // A late reply for it is dropped; the connection goes on.
            unanswered.replyVoid();
            CompletableFuture<Integer> next = client.call(PROG, 2, 1, XdrEncoder::writeInt, 1, XdrDecoder::readInt);
            server.nextCall().reply(2, XdrEncoder::writeInt);
            assertEquals(2, next.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aSilentServerWithCallsOutstandingIsPingedThenDroppedAtThePingTimeout() throws Exception {
        try (RpcClient client = connect(RpcClientOptions.builder()
                .ping(Duration.ofMillis(100), Duration.ofMillis(500)).build())) {
            CompletableFuture<Void> f = client.call(PROG, 2, 0, RpcActor.VOID);
            server.nextCall(); // never answered
            clock.advance(Duration.ofMillis(100));
            ScriptedCall ping = server.nextCall();
            assertEquals(GfDump.PROGRAM, ping.header().program());
            assertEquals(GfDump.VERSION, ping.header().version());
            assertEquals(GfDump.PING, ping.header().procedure());
            clock.advance(Duration.ofMillis(399));
            assertFalse(f.isDone(), "silent for 499 ms");
            clock.advance(Duration.ofMillis(1));
            RpcDisconnectedException e = assertInstanceOf(RpcDisconnectedException.class, failure(f));
            assertEquals(DisconnectCause.TIMEOUT, e.disconnectCause());
            assertFalse(client.isConnected());
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 0);
        }
    }

    @Test
    void anIdleConnectionIsNeitherPingedNorDropped() throws Exception {
        try (RpcClient client = connect(RpcClientOptions.builder()
                .ping(Duration.ofMillis(50), Duration.ofMillis(200)).build())) {
            clock.advance(Duration.ofMinutes(10));
            assertNull(server.nextCall(Duration.ZERO), "no ping without calls outstanding");
            assertTrue(client.isConnected());
        }
    }

    @Test
    void aPingedServerThatAnswersKeepsTheConnection() throws Exception {
        try (RpcClient client = connect(RpcClientOptions.builder()
                .ping(Duration.ofMillis(50), Duration.ofMillis(300)).build())) {
            CompletableFuture<Void> slow = client.call(PROG, 2, 3, RpcActor.VOID);
            ScriptedCall held = server.nextCall();
            // Three ping timeouts go by; each GF-DUMP PING is answered, which keeps the connection up. A ping is
            // due after 50 ms of silence, so a step right after a pong brings none: wait a little, not for one.
            int pings = 0;
            for (int i = 0; i < 18; i++) {
                clock.advance(Duration.ofMillis(50));
                ScriptedCall ping;
                while ((ping = server.nextCall(Duration.ofMillis(20))) != null) {
                    assertEquals(GfDump.PING, ping.header().procedure());
                    pings++;
                    ping.reply(null, (e, v) -> {
                        e.writeInt(0);
                        e.writeInt(0);
                        e.writeInt(0);
                    });
                }
            }
            assertTrue(pings >= 6, "pinged " + pings + " times in 900 ms of silence from the call");
            assertTrue(client.isConnected());
            held.replyVoid();
            slow.get(10, TimeUnit.SECONDS);
        }
    }
}
