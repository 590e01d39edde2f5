package io.ripcord.rpc.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcClientOptions;
import io.ripcord.rpc.client.RpcException;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.ReconnectPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue #6, faults: an {@link RpcClient} reaches {@code RpcService} through {@link FaultyProxy}, which delays,
 * writes 1 byte at a time, drops and resets connections at random points. Every call that completes has the
 * right result, every call that fails fails once with an {@link RpcException} that says why, the client
 * reconnects, and nothing hangs (each call is waited for with a bound well above the call timeout).
 */
class FaultInjectionTest {

    private static final Logger log = LoggerFactory.getLogger(FaultInjectionTest.class);
    private static final int WORKERS = 4;

    @Test
    void callsThroughAFaultyProxySucceedRightOrFailOnceAndTheClientReconnects() throws Exception {
        run(4_000, 6);
    }

    @Test
    @Tag("soak")
    void manyCallsThroughAFaultyProxy() throws Exception {
        run(100_000, 7);
    }

    private static void run(int calls, long seed) throws Exception {
        try (ServiceFixture server = new ServiceFixture(2, ServiceFixture.limits(64 * 1024));
             FaultyProxy proxy = new FaultyProxy(server.listener.address(), seed)) {
            EventPool clientPool = EventPool.create(EventPoolOptions.builder().pollers(1)
                    .threadNamePrefix("faulty-cli").build()).start();
            RpcClientOptions options = RpcClientOptions.builder()
                    .callTimeout(Duration.ofSeconds(10))
                    .reconnectPolicy(ReconnectPolicy.exponential(Duration.ofMillis(5), Duration.ofMillis(200), 2.0,
                            0.2, 0))
                    .build();
            AtomicLong ok = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicLong completions = new AtomicLong();
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> wrong = new ConcurrentLinkedQueue<>();
            RpcClient client = RpcClient.connect(clientPool, proxy.address(), options).get(30, TimeUnit.SECONDS);
            ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    int first = w;
                    done.add(workers.submit(() -> {
                        for (int i = first; i < calls; i += WORKERS) {
                            int arg = i;
                            CompletableFuture<Integer> f = client.call(ServiceFixture.PROG, ServiceFixture.VERS,
                                    ServiceFixture.INC, XdrEncoder::writeInt, arg, XdrDecoder::readInt);
                            f.whenComplete((r, e) -> completions.incrementAndGet());
                            try {
                                int r = f.get(60, TimeUnit.SECONDS); // a TimeoutException here: a hang
                                if (r == arg + 1) {
                                    ok.incrementAndGet();
                                } else {
                                    wrong.add(new AssertionError("INC(" + arg + ") returned " + r));
                                }
                            } catch (ExecutionException e) {
                                failed.incrementAndGet();
                                if (e.getCause() instanceof RpcException re && re.getMessage() != null) {
                                    errors.add(re.getClass().getSimpleName() + ": " + re.getMessage());
                                } else {
                                    wrong.add(e.getCause());
                                }
                                // Not connected: wait for the reconnect instead of failing the next calls too.
                                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                                        .until(client::isConnected);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(10, TimeUnit.MINUTES);
                }
            } finally {
                workers.shutdownNow();
                client.close();
                clientPool.shutdown(Duration.ZERO, Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
            }
            log.info("faults: {} calls, {} ok, {} failed, {} proxied connections (plain {}, delayed {}, 1-byte {}; "
                            + "{} reset, the rest dropped); first errors: {}", calls, ok.get(), failed.get(),
                    proxy.connections.get(), proxy.styles[0].get(), proxy.styles[1].get(), proxy.styles[2].get(),
                    proxy.resets.get(), errors.stream().limit(2).toList());
            assertTrue(wrong.isEmpty(), "wrong results or errors: " + wrong.peek());
            assertEquals(calls, ok.get() + failed.get());
            assertEquals(calls, completions.get(), "each call completes exactly once");
            assertTrue(proxy.connections.get() >= 3, "the client did not reconnect through the faults");
            assertTrue(ok.get() > calls / 2, "too few calls got through: " + ok.get());
            assertNotNull(errors.peek(), "no fault was seen: the proxy injected nothing");
            await().atMost(Duration.ofSeconds(20)).until(() -> server.pool.openSlots() == 1);
        }
    }
}
