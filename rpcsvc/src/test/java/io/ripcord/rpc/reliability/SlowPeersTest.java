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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    /** Calls of the well-behaved client alone in each round, for the unloaded figures. */
    private static final int UNLOADED_CALLS = 10_000;
    /** Calls before the first round (JIT compilation), not counted. */
    private static final int WARM_UP_CALLS = 10_000;
    /** Alternating unloaded and attacked rounds. */
    private static final int ROUNDS = 3;
    /** Whether the attacker runs niced ({@code -Dripcord.slowloris.nice=false} to compare). */
    private static final boolean NICE = !"false".equals(System.getProperty("ripcord.slowloris.nice"));

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
     * {@code n} connections from a {@link SlowLorisClient} in its own process (as from another host; in this
     * JVM its 2,000 sockets and trickle would compete with the server for the same threads and heap) each start
     * a record and then trickle one byte every 100 ms; half hold it in the transport's buffer, half in the
     * decoder's reassembly. The attacker runs at the lowest scheduling priority ({@code nice -n 19}) when
     * {@code nice} exists, standing in for the attacker's own CPU: on this 2-core machine it would otherwise
     * take the cycles the server and the well-behaved client need, which measures the machine, not the server.
     *
     * <p>One well-behaved client calls INC in a loop on one connection the whole time. After a warm-up, each of
     * {@link #ROUNDS} rounds times it alone ({@link #UNLOADED_CALLS} calls) and then while an attacker runs,
     * from the attacker's start until the server has closed all its connections; the rounds alternate so that
     * the machine's noise falls on both sides, and the median of the rounds' p99 ratios is reported.
     */
    private static void slowLoris(int n) throws Exception {
        try (ServiceFixture server = server()) {
            Recorder good = new Recorder();
            Thread goodThread = new Thread(() -> good.run(server), "well-behaved");
            goodThread.start();
            long[][] unloadedWindows = new long[ROUNDS][];
            long[][] loadedWindows = new long[ROUNDS][];
            try {
                good.awaitCalls(WARM_UP_CALLS);
                for (int round = 0; round < ROUNDS; round++) {
                    long u0 = System.nanoTime();
                    good.awaitCalls(good.calls() + UNLOADED_CALLS);
                    unloadedWindows[round] = new long[] {u0, System.nanoTime()};
                    long l0 = System.nanoTime();
                    attack(server, n, round);
                    loadedWindows[round] = new long[] {l0, System.nanoTime()};
                    assertTrue(good.isServing(), "the well-behaved client stopped: " + good.failure);
                }
            } finally {
                good.stop = true;
                goodThread.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertTrue(!goodThread.isAlive(), "the well-behaved client is stuck");
            if (good.failure != null) {
                throw new AssertionError("the well-behaved client failed", good.failure);
            }
            double[] ratios = new double[ROUNDS];
            StringBuilder rounds = new StringBuilder();
            for (int round = 0; round < ROUNDS; round++) {
                long[] before = good.latencies(unloadedWindows[round]);
                long[] during = good.latencies(loadedWindows[round]);
                assertTrue(during.length > 0, "the well-behaved client got no answer under attack");
                ratios[round] = (double) percentile(during, 0.99) / Math.max(1, percentile(before, 0.99));
                rounds.append(String.format(Locale.ROOT, "%n  round %d: unloaded %d calls, p50 %d us, p99 %d us, "
                                + "max %d us; attacked %d calls in %d ms, p50 %d us, p99 %d us, max %d us; "
                                + "p99 ratio %.2f", round + 1, before.length, micros(before, 0.5),
                        micros(before, 0.99), micros(before, 1.0), during.length,
                        (loadedWindows[round][1] - loadedWindows[round][0]) / 1_000_000, micros(during, 0.5),
                        micros(during, 0.99), micros(during, 1.0), ratios[round]));
            }
            Arrays.sort(ratios);
            // Issue #6 asks for the loaded p99 within 2x of the unloaded one; speed is reported, never asserted.
            log.info("slow loris: {} slow connections per round, closed by a {} ms record timeout, attacker {}; "
                            + "median p99 ratio {}{}", n, RECORD_TIMEOUT.toMillis(), NICE ? "niced" : "not niced",
                    String.format(Locale.ROOT, "%.2f", ratios[ROUNDS / 2]), rounds);
        }
    }

    /** One attack: {@code n} slow connections from a new attacker process, until the server closed them all. */
    private static void attack(ServiceFixture server, int n, int round) throws Exception {
        long timeoutsBefore = timeouts(server);
        Process attacker = startAttacker(server, n);
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(attacker.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("connected " + n, out.readLine(), "the attacker could not open its connections");
            await().atMost(Duration.ofSeconds(60)).until(() -> timeouts(server) - timeoutsBefore >= n);
            assertEquals("closed " + n, out.readLine(), "the server closed every slow connection");
            assertTrue(attacker.waitFor(30, TimeUnit.SECONDS), "the attacker did not end");
        } finally {
            attacker.destroyForcibly();
        }
        assertEquals(n, timeouts(server) - timeoutsBefore, "round " + (round + 1)
                + ": every slow connection ends with TIMEOUT");
        await().atMost(Duration.ofSeconds(30)).until(() -> server.pool.openSlots() == 2);
        assertEquals(0, server.pendingTimers(), "frame timers left behind");
    }

    private static long timeouts(ServiceFixture server) {
        return server.disconnects(DisconnectCause.TIMEOUT);
    }

    private static Process startAttacker(ServiceFixture server, int n) throws IOException {
        InetSocketAddress at = (InetSocketAddress) server.listener.address();
        List<String> cmd = new ArrayList<>();
        if (NICE && Files.isExecutable(Path.of("/usr/bin/nice"))) {
            cmd.addAll(List.of("/usr/bin/nice", "-n", "19"));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xss256k", "-cp", ChildJvm.classPath(),
                SlowLorisClient.class.getName(), at.getAddress().getHostAddress(), String.valueOf(at.getPort()),
                String.valueOf(n)));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /**
     * The well-behaved client: INC calls one at a time on one connection until stopped, recording each call's
     * start and round trip in primitive arrays (a boxed list would make garbage, and GC pauses, of its own).
     * Written by its thread only; read after it ended, or its count through {@link #calls()}.
     */
    private static final class Recorder {
        volatile boolean stop;
        volatile Throwable failure;
        private final AtomicInteger count = new AtomicInteger();
        private long[] starts = new long[1 << 18];
        private long[] nanos = new long[1 << 18];

        void run(ServiceFixture server) {
            try (Socket s = server.connect()) {
                for (int xid = 0; !stop; xid++) {
                    long t0 = System.nanoTime();
                    s.getOutputStream().write(record(incCall(xid, xid)));
                    assertEquals(xid + 1, readIntReply(s.getInputStream(), xid));
                    long rtt = System.nanoTime() - t0;
                    int i = count.get();
                    if (i == starts.length) {
                        starts = Arrays.copyOf(starts, i * 2);
                        nanos = Arrays.copyOf(nanos, i * 2);
                    }
                    starts[i] = t0;
                    nanos[i] = rtt;
                    count.lazySet(i + 1);
                }
            } catch (IOException | AssertionError e) {
                failure = e;
            }
        }

        int calls() {
            return count.get();
        }

        boolean isServing() {
            return failure == null;
        }

        void awaitCalls(int calls) {
            await().atMost(Duration.ofSeconds(60)).until(() -> count.get() >= calls || failure != null);
            assertTrue(isServing(), "the well-behaved client stopped: " + failure);
        }

        /** The sorted round trips of the calls started within {@code [window[0], window[1])}; after the run. */
        long[] latencies(long[] window) {
            int n = count.get();
            return java.util.stream.IntStream.range(0, n)
                    .filter(i -> starts[i] - window[0] >= 0 && starts[i] - window[1] < 0)
                    .mapToLong(i -> nanos[i]).sorted().toArray();
        }
    }

    /** The {@code q} quantile (nearest rank) of sorted nanoseconds. */
    private static long percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))];
    }

    private static long micros(long[] sorted, double q) {
        return percentile(sorted, q) / 1000;
    }
}
