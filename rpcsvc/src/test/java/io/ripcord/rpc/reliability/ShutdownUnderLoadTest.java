package io.ripcord.rpc.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.RpcServiceOptions;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcDisconnectedException;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue #6, shutdown under load: the server's pool shuts down while 1,000 client connections have calls in
 * flight. Every server connection gets exactly one DISCONNECT, every pending call fails exactly once with
 * {@link RpcDisconnectedException}, and every thread of both pools ends.
 */
class ShutdownUnderLoadTest {

    private static final int CONNECTIONS = 1000;
    private static final int HELD_PER_CONNECTION = 3;

    @Test
    void shuttingDownThePoolUnderLoadDisconnectsEachConnectionOnceAndFailsEachCallOnce() throws Exception {
        ServiceFixture server = new ServiceFixture(2, RpcServiceOptions.defaults(), "shut-srv");
        EventPool clientPool = EventPool.create(EventPoolOptions.builder().pollers(2).threadNamePrefix("shut-cli")
                .build()).start();
        List<RpcClient> clients = new ArrayList<>();
        AtomicLong completions = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> wrongFailures = new ConcurrentLinkedQueue<>();
        try {
            List<CompletableFuture<RpcClient>> connecting = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                connecting.add(RpcClient.connect(clientPool, server.listener.address()));
            }
            for (CompletableFuture<RpcClient> f : connecting) {
                clients.add(f.get(60, TimeUnit.SECONDS));
            }
            // Busy: calls the server holds, and a round trip on each connection to be sure they got there.
            List<CompletableFuture<Object>> held = new ArrayList<>();
            for (RpcClient c : clients) {
                for (int i = 0; i < HELD_PER_CONNECTION; i++) {
                    CompletableFuture<Object> f = c.call(ServiceFixture.PROG, ServiceFixture.VERS,
                            ServiceFixture.HOLD, RpcActor.IGNORED);
                    f.whenComplete((r, e) -> {
                        completions.incrementAndGet();
                        Throwable cause = e instanceof CompletionException ? e.getCause() : e;
                        if (!(cause instanceof RpcDisconnectedException)) {
                            wrongFailures.add(cause == null ? new AssertionError("completed with " + r) : cause);
                        }
                    });
                    held.add(f);
                }
            }
            List<CompletableFuture<Integer>> incs = new ArrayList<>();
            for (RpcClient c : clients) {
                incs.add(c.call(ServiceFixture.PROG, ServiceFixture.VERS, ServiceFixture.INC, XdrEncoder::writeInt,
                        1, XdrDecoder::readInt));
            }
            for (CompletableFuture<Integer> f : incs) {
                assertEquals(2, f.get(60, TimeUnit.SECONDS));
            }
            assertEquals(CONNECTIONS, server.listener.connectionCount());

            server.listener.close();
            server.pool.shutdown(Duration.ZERO, Duration.ofSeconds(30)).get(60, TimeUnit.SECONDS);

            assertEquals(CONNECTIONS, server.disconnects.get(), "server DISCONNECTs");
            assertEquals(0, server.duplicateDisconnects.get(), "second DISCONNECTs");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertEquals((long) CONNECTIONS * HELD_PER_CONNECTION, completions.get(), "held calls ended"));
            assertTrue(wrongFailures.isEmpty(), "calls that did not fail with RpcDisconnectedException: "
                    + wrongFailures.peek());
            assertTrue(held.stream().allMatch(CompletableFuture::isCompletedExceptionally));
        } finally {
            clients.forEach(RpcClient::close);
            clientPool.shutdown(Duration.ZERO, Duration.ofSeconds(30)).get(60, TimeUnit.SECONDS);
            server.close();
        }
        assertEquals((long) CONNECTIONS * HELD_PER_CONNECTION, completions.get(), "a call completed twice");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(List.of(),
                Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                        .filter(n -> n.startsWith("shut-srv") || n.startsWith("shut-cli")).toList(),
                "threads of the stopped pools"));
    }
}
