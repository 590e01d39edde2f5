package io.ripcord.rpc.reliability;

import static io.ripcord.rpc.reliability.ServiceFixture.incCall;
import static io.ripcord.rpc.reliability.ServiceFixture.readIntReply;
import static io.ripcord.rpc.reliability.ServiceFixture.record;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue #6, churn: connect / call / close cycles against {@code RpcService}, then nothing may be left
 * behind: descriptors ({@code /proc/self/fd}), slots, timers, connections, pooled buffers; and every
 * connection had exactly one DISCONNECT.
 */
class ChurnTest {

    private static final Logger log = LoggerFactory.getLogger(ChurnTest.class);
    private static final int CLIENT_THREADS = 2;

    @Test
    void twentyThousandConnectCallCloseCyclesLeaveNothingBehind() throws Exception {
        churn(20_000);
    }

    @Test
    @Tag("soak")
    void hundredThousandConnectCallCloseCyclesLeaveNothingBehind() throws Exception {
        churn(100_000);
    }

    private static void churn(int cycles) throws Exception {
        try (ServiceFixture server = new ServiceFixture(2, ServiceFixture.limits(64 * 1024))) {
            // Warm up the pollers' pools and scratch buffers, then measure.
            cycle(server, 0);
            cycle(server, 1);
            cycle(server, 2);
            await().atMost(Duration.ofSeconds(20)).until(() -> server.listener.connectionCount() == 0);
            int fdsBefore = ServiceFixture.openDescriptors();
            int timersBefore = server.pendingTimers();
            long buffersBefore = server.pooledBuffersAllocated();
            long disconnectsBefore = server.disconnects.get();
            long acceptedBefore = server.listener.acceptedCount();

            long start = System.nanoTime();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < CLIENT_THREADS; t++) {
                    int first = t;
                    done.add(clients.submit(() -> {
                        for (int i = first; i < cycles; i += CLIENT_THREADS) {
                            cycle(server, i);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(10, TimeUnit.MINUTES);
                }
            } finally {
                clients.shutdownNow();
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertEquals(0, server.listener.connectionCount(), "connections still open");
                assertEquals(1, server.pool.openSlots(), "slots besides the listener's");
                assertEquals(acceptedBefore + cycles, server.listener.acceptedCount(), "accepted");
                assertEquals(disconnectsBefore + cycles, server.disconnects.get(), "one DISCONNECT each");
                assertEquals(timersBefore, server.pendingTimers(), "pending timers");
                int fds = ServiceFixture.openDescriptors();
                assertTrue(fds <= fdsBefore + 2, "descriptors: " + fdsBefore + " before, " + fds + " after");
            });
            long buffers = server.pooledBuffersAllocated() - buffersBefore;
            // A leak of one buffer per connection would show as thousands; pools may still fill a few classes.
            assertTrue(buffers < 64, cycles + " cycles allocated " + buffers + " more pooled buffers");
            log.info("churn: {} cycles in {} ms, {} more pooled buffers, {} descriptors after", cycles, millis,
                    buffers, ServiceFixture.openDescriptors());
        }
    }

    /**
     * One connection's life; the ending varies with {@code i}: most clients reset (SO_LINGER 0, so that
     * tens of thousands of TIME_WAIT sockets do not exhaust the ephemeral ports), every tenth closes
     * normally, every seventh leaves before reading its reply, every eleventh half a call.
     */
    private static void cycle(ServiceFixture server, int i) throws Exception {
        try (Socket s = server.connect()) {
            if (i % 10 != 0) {
                s.setSoLinger(true, 0);
            }
            if (i % 11 == 5) {
                s.getOutputStream().write(record(incCall(i, i)), 0, 17);
                return;
            }
            s.getOutputStream().write(record(incCall(i, i)));
            if (i % 7 == 3) {
                return;
            }
            assertEquals(i + 1, readIntReply(s.getInputStream(), i));
        }
    }
}
