package io.ripcord.rpc.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.Listener;
import io.ripcord.transport.ReconnectPolicy;
import io.ripcord.transport.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnectionSetup}: each new connection is prepared (through calls on it alone) before the client makes any
 * call of its own on it, on the first connect and on every reconnect. The server remembers, per connection,
 * whether HELLO came first; INC answers whether it did.
 */
class ConnectionSetupTest {

    static final int PROG = 0x20000F0F;

    private EventPool pool;
    private Listener listener;
    private final List<Transport> serverConnections = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        pool = EventPool.create(EventPoolOptions.builder().pollers(2).threadNamePrefix("setup").build()).start();
        RpcService service = RpcService.create();
        service.register(RpcProgram.builder(PROG, 1, "SETUP")
                .actor(RpcActor.of(9, "HELLO", RpcActor.VOID, (c, a) -> {
                    c.transport().attach("hello");
                    serverConnections.add(c.transport());
                    c.replyVoid();
                }))
                .actor(RpcActor.of(1, "INC", XdrDecoder::readInt, (c, a) ->
                        c.reply("hello".equals(c.transport().attachment()) ? a + 1 : -1, XdrEncoder::writeInt)))
                .build());
        listener = service.listen(pool, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void tearDown() throws Exception {
        listener.close();
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    private static int inc(RpcClient client, int n) throws Exception {
        return client.callSync(PROG, 1, 1, XdrEncoder::writeInt, n, XdrDecoder::readInt);
    }

    @Test
    void everyConnectionIsPreparedBeforeTheClientsFirstCallOnItReconnectsIncluded() throws Exception {
        List<CompletableFuture<Void>> gates = List.of(CompletableFuture.completedFuture(null),
                new CompletableFuture<>());
        AtomicInteger setups = new AtomicInteger();
        ConnectionSetup hello = (caller, transport) -> {
            assertTrue(transport.inPoller(), "setup runs on the connection's poller");
            return gates.get(setups.getAndIncrement()).thenCompose(v -> caller.call(PROG, 1, 9, RpcActor.VOID));
        };
        try (RpcClient client = RpcClient.connect(pool, listener.address(), RpcClientOptions.builder()
                .connectionSetup(hello)
                .reconnectPolicy(ReconnectPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(100), 2, 0, 0))
                .build()).get(10, TimeUnit.SECONDS)) {
            assertEquals(42, inc(client, 41), "the server saw HELLO before the client's first call");
            assertEquals(1, setups.get());

            serverConnections.get(0).close(); // the server hangs up; the client reconnects and prepares again
            await().atMost(Duration.ofSeconds(10)).until(() -> setups.get() == 2);
            // The new connection is held by its setup: it is not the client's yet, and calls fail fast.
            assertFalse(client.isConnected());
            RpcDisconnectedException meanwhile = assertInstanceOf(RpcDisconnectedException.class,
                    assertThrows(ExecutionException.class, () -> client.call(PROG, 1, 1, XdrEncoder::writeInt, 1,
                            XdrDecoder::readInt).get(10, TimeUnit.SECONDS)).getCause());
            assertTrue(meanwhile.getMessage().contains("not connected"), meanwhile.getMessage());
            gates.get(1).complete(null);
            await().atMost(Duration.ofSeconds(10)).until(client::isConnected);
            assertEquals(8, inc(client, 7));
            assertEquals(2, serverConnections.size());
        }
    }

    @Test
    void aFailedSetupFailsTheConnectAndNothingReconnectsBehindTheCaller() throws Exception {
        IllegalStateException refused = new IllegalStateException("the server would not say hello");
        AtomicInteger setups = new AtomicInteger();
        CompletableFuture<RpcClient> connect = RpcClient.connect(pool, listener.address(), RpcClientOptions.builder()
                .connectionSetup((caller, transport) -> {
                    setups.incrementAndGet();
                    return CompletableFuture.failedFuture(refused);
                })
                .reconnectPolicy(ReconnectPolicy.exponential(Duration.ofMillis(10), Duration.ofMillis(20), 2, 0, 0))
                .build());
        ExecutionException e = assertThrows(ExecutionException.class, () -> connect.get(10, TimeUnit.SECONDS));
        assertSame(refused, e.getCause());
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.connectionCount() == 0);
        // Reconnects would be every 10 to 20 ms: several round trips of the pool later, still none.
        for (int i = 0; i < 5; i++) {
            CompletableFuture<Void> tick = new CompletableFuture<>();
            pool.schedule(() -> tick.complete(null), 20, TimeUnit.MILLISECONDS);
            tick.get(10, TimeUnit.SECONDS);
        }
        assertEquals(1, setups.get());
        assertEquals(1, listener.acceptedCount());
    }

    @Test
    void theConnectWaitsForTheSetupAndASetupThatClosesItsConnectionFailsIt() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<RpcClient> connect = RpcClient.connect(pool, listener.address(), RpcClientOptions.builder()
                .connectionSetup((caller, transport) -> release).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.connectionCount() == 1);
        assertFalse(connect.isDone());
        release.complete(null);
        try (RpcClient client = connect.get(10, TimeUnit.SECONDS)) {
            assertEquals(-1, inc(client, 1), "no HELLO: this setup made no call");
        }
        RpcDisconnectedException notYet = assertInstanceOf(RpcDisconnectedException.class,
                assertThrows(ExecutionException.class, () -> RpcClient.connect(pool, listener.address(),
                        RpcClientOptions.builder().connectionSetup((caller, transport) -> {
                            caller.close(); // gives up on the connection it prepares
                            return caller.call(PROG, 1, 9, RpcActor.VOID);
                        }).build()).get(10, TimeUnit.SECONDS)).getCause());
        assertTrue(notYet.getMessage().contains("closed"), notYet.getMessage());
    }
}
