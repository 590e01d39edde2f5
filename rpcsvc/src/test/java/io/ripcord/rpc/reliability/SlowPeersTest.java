package io.ripcord.rpc.reliability;

import static io.ripcord.rpc.reliability.ServiceFixture.fragment;
import static io.ripcord.rpc.reliability.ServiceFixture.incCall;
import static io.ripcord.rpc.reliability.ServiceFixture.readIntReply;
import static io.ripcord.rpc.reliability.ServiceFixture.record;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.RpcServiceOptions;
import io.ripcord.transport.DisconnectCause;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue #6, slow peers: {@code RpcServiceOptions.recordTimeout} closes connections that hold an incomplete
 * record too long (cause TIMEOUT), however they trickle it, while a well-behaved client keeps being served.
 */
class SlowPeersTest {

    private static final Logger log = LoggerFactory.getLogger(SlowPeersTest.class);
    private static final Duration RECORD_TIMEOUT = Duration.ofMillis(500);
    /** Calls of the well-behaved client alone, before the slow connections, for the unloaded figures. */
    private static final int UNLOADED_CALLS = 5_000;

    private static ServiceFixture server() throws IOException {
        return new ServiceFixture(2, RpcServiceOptions.builder().maxRecordSize(64 * 1024)
                .recordTimeout(RECORD_TIMEOUT).build());
    }

    @Test
    void halfARecordHeldPastTheTimeoutIsClosedWithTimeout() throws Exception {
        try (ServiceFixture server = server(); Socket whole = server.connect(); Socket split = server.connect()) {
            whole.getOutputStream().write(record(incCall(1, 1)), 0, 20);         // waits in the transport
            byte[] call = incCall(2, 2);
            split.getOutputStream().write(fragment(call, 0, 8, false));          // waits in the decoder
            assertEquals(DisconnectCause.TIMEOUT, server.awaitCause(whole));
            assertEquals(DisconnectCause.TIMEOUT, server.awaitCause(split));
            ServiceFixture.assertClosedByServer(whole);
            ServiceFixture.assertClosedByServer(split);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.pool.openSlots() == 1);
            assertEquals(0, server.pendingTimers(), "frame timers left behind");
        }
    }

    @Test
    void idleBetweenRecordsAndCompletedRecordsAreNotTimedOut() throws Exception {
        try (ServiceFixture server = server(); Socket s = server.connect()) {
            byte[] call = incCall(3, 3);
            // A record completed within the timeout, in pieces; then the connection stays idle (no partial).
            s.getOutputStream().write(fragment(call, 0, 8, false));
            s.getOutputStream().write(fragment(call, 8, call.length - 8, true));
            assertEquals(4, readIntReply(s.getInputStream(), 3));
            int port = s.getLocalPort();
            await().during(RECORD_TIMEOUT.multipliedBy(3)).atMost(RECORD_TIMEOUT.multipliedBy(4))
                    .until(() -> !server.causes.containsKey(port));
            s.getOutputStream().write(record(incCall(4, 4)));
            assertEquals(5, readIntReply(s.getInputStream(), 4));
        }
    }

    @Test
    void twoHundredSlowLorisConnectionsAreClosedWhileAWellBehavedClientIsServed() throws Exception {
        slowLoris(200);
    }

    @Test
    @Tag("soak")
    void twoThousandSlowLorisConnectionsAreClosedWhileAWellBehavedClientIsServed() throws Exception {
        slowLoris(2000);
    }

    /**
     * {@code n} connections each start a record and then trickle one byte every 100 ms (so an idle timeout
     * would never fire); half hold it in the transport's buffer, half in the decoder's reassembly.
     */
    private static void slowLoris(int n) throws Exception {
        try (ServiceFixture server = server()) {
            List<Socket> slow = new ArrayList<>();
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            List<Long> latencies = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> goodFailed = new AtomicReference<>();
            // The same client, alone first: the unloaded figures the loaded ones are compared with.
            List<Long> unloaded = new ArrayList<>();
            wellBehaved(server, () -> unloaded.size() >= UNLOADED_CALLS, unloaded);
            Thread good = new Thread(() -> {
                try {
                    wellBehaved(server, stop::get, latencies);
                } catch (IOException | AssertionError e) {
                    goodFailed.set(e);
                }
            }, "well-behaved");
            try {
                good.start();
                for (int i = 0; i < n; i++) {
                    Socket s = server.connect();
                    slow.add(s);
                    OutputStream out = s.getOutputStream();
                    if (i % 2 == 0) {
                        out.write(new byte[] {0, 0, 0x03, (byte) 0xE8}, 0, 4); // non-last 1000-byte fragment
                    } else {
                        out.write(fragment(new byte[8], 0, 8, false));
                        out.write(new byte[] {(byte) 0x80, 0, 0x03, (byte) 0xE8});
                    }
                }
                trickle.scheduleWithFixedDelay(() -> {
                    for (Socket s : slow) {
                        try {
                            s.getOutputStream().write(0);
                        } catch (IOException e) {
                            // closed by the server: what we wait for
                        }
                    }
                }, 100, 100, TimeUnit.MILLISECONDS);
                for (Socket s : slow) {
                    assertEquals(DisconnectCause.TIMEOUT, server.awaitCause(s));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> server.pool.openSlots() == 2);
            } finally {
                stop.set(true);
                trickle.shutdownNow();
                good.join(TimeUnit.SECONDS.toMillis(30));
                for (Socket s : slow) {
                    s.close();
                }
            }
            assertTrue(!good.isAlive(), "the well-behaved client is stuck");
            if (goodFailed.get() != null) {
                throw new AssertionError("the well-behaved client failed", goodFailed.get());
            }
            assertTrue(latencies.size() > 0, "the well-behaved client got no answer");
            long[] before = sorted(unloaded);
            long[] during = sorted(latencies);
            // Issue #6 asks for the loaded p99 within 2x of the unloaded one; speed is reported, never asserted.
            log.info("slow loris: {} slow connections closed by a {} ms record timeout; well-behaved client "
                            + "unloaded: {} calls, p50 {} us, p99 {} us, max {} us; with the slow connections: "
                            + "{} calls, p50 {} us, p99 {} us, max {} us; p99 ratio {}", n, RECORD_TIMEOUT.toMillis(),
                    before.length, micros(before, 0.5), micros(before, 0.99), micros(before, 1.0),
                    during.length, micros(during, 0.5), micros(during, 0.99), micros(during, 1.0),
                    String.format(java.util.Locale.ROOT, "%.2f",
                            (double) percentile(during, 0.99) / Math.max(1, percentile(before, 0.99))));
        }
    }

    /** Calls INC on its own connection, one at a time, adding each round trip's nanoseconds, until {@code done}. */
    private static void wellBehaved(ServiceFixture server, BooleanSupplier done, List<Long> latencies)
            throws IOException {
        try (Socket s = server.connect()) {
            for (int xid = 0; !done.getAsBoolean(); xid++) {
                long t0 = System.nanoTime();
                s.getOutputStream().write(record(incCall(xid, xid)));
                assertEquals(xid + 1, readIntReply(s.getInputStream(), xid));
                latencies.add(System.nanoTime() - t0);
            }
        }
    }

    private static long[] sorted(List<Long> nanos) {
        return nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** The {@code q} quantile (nearest rank) of sorted nanoseconds. */
    private static long percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))];
    }

    private static long micros(long[] sorted, double q) {
        return percentile(sorted, q) / 1000;
    }
}
