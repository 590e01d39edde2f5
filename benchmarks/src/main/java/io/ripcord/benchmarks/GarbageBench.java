package io.ripcord.benchmarks;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.RpcService;
import io.ripcord.transport.Listener;
import io.ripcord.transport.ListenerOptions;
import io.ripcord.transport.TransportListener;
import io.ripcord.transport.TransportOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Garbage per GF-DUMP PING and per echoed message in steady state: an {@link RpcService} (GF-DUMP only) in this JVM on its own
 * one-poller pool, loaded by {@code gfping_bench} (another process, so its allocations do not count); the
 * bytes its poller threads allocated ({@code com.sun.management.ThreadMXBean}) divided by the replies.
 */
final class GarbageBench {

    static final String SECTION = "garbage";
    private static final String PREFIX = "garbage-srv";
    private static final Pattern REPLIES = Pattern.compile(": (\\d+) replies");
    private static final Pattern CYCLES = Pattern.compile(": (\\d+) calls in");

    private final AllCommand.Config config;
    private final Results results;
    private final Progress progress;

    GarbageBench(AllCommand.Config config, Results results, Progress progress) {
        this.config = config;
        this.results = results;
        this.progress = progress;
    }

    static int plannedSteps(AllCommand.Config c) {
        return 3 * c.rounds();
    }

    /** Sends back every buffer it reads, as the examples' echo-server does; one instance for all connections. */
    private static final TransportListener ECHO = (t, message) -> t.send(message);
    private static final Pattern MESSAGES = Pattern.compile("(?m)^messages: (\\d+)$");

    void run(NativeTools tools) throws Exception {
        Path tool = tools.get(NativeTools.LOAD);
        if (tool == null) {
            results.note(SECTION, "skipped: " + tools.why(NativeTools.LOAD));
            progress.skip(plannedSteps(config));
            return;
        }
        results.note(SECTION, "server: RpcService (GF-DUMP only) in the orchestrating JVM, 1 poller; load: "
                + "gfping_bench pipelined 8 conn x 8 in flight (another process); bytes = allocated by the server's "
                + "poller thread (ThreadMXBean) during the measured run / replies; connect-call-close the same way, "
                + "gfping_bench ccc (one client: connect, one PING, close), bytes / connections. Echo: the same way, a raw echo "
                + "listener on that pool loaded by the examples' echo-client (another JVM, 16 conn x 64 B x 4 in flight; "
                + "a first run warms the JIT, the measured run has no warm-up, so its connection set-up is counted too).");
        EventPool pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix(PREFIX).build())
                .start();
        try {
            RpcService service = RpcService.create();
            Listener l = service.listen(pool, new InetSocketAddress("127.0.0.1", 0));
            String port = Integer.toString(((InetSocketAddress) l.address()).getPort());
            String warm = Double.toString(Math.max(0.5, config.warmup()));
            String secs = Double.toString(config.duration());
            for (int round = 1; round <= config.rounds(); round++) {
                progress.step("garbage round " + round + " GF-DUMP PING");
                measure(round, "GF-DUMP PING, pipelined 8 x 8", "bytes allocated per call", REPLIES,
                        () -> RpcBench.run(tool, "pipe", "127.0.0.1", port, "8", "8", warm),
                        () -> RpcBench.run(tool, "pipe", "127.0.0.1", port, "8", "8", secs));
                progress.step("garbage round " + round + " GF-DUMP PING connect-call-close");
                measure(round, "GF-DUMP PING, connect-call-close", "bytes allocated per connection", CYCLES,
                        () -> RpcBench.run(tool, "ccc", "127.0.0.1", port, warm),
                        () -> RpcBench.run(tool, "ccc", "127.0.0.1", port, secs));
            }
            l.close();
            Listener echo = Listener.bind(pool, new InetSocketAddress("127.0.0.1", 0), ListenerOptions.builder()
                    .transportOptions(TransportOptions.builder().pauseReadingWhenUnwritable(true).build()).build(),
                    t -> ECHO);
            String echoPort = Integer.toString(((InetSocketAddress) echo.address()).getPort());
            for (int round = 1; round <= config.rounds(); round++) {
                progress.step("garbage round " + round + " echo");
                measure(round, "echo, 16 conn x 64 B x 4 in flight", "bytes allocated per message", MESSAGES,
                        () -> echoClient(echoPort, Math.max(0.5, config.warmup())),
                        () -> echoClient(echoPort, config.duration()));
            }
            echo.close();
        } finally {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
    }

    private interface Load {
        String run() throws IOException, InterruptedException;
    }

    /**
     * Runs {@code warmup}, then {@code load} measured: the bytes the server's poller threads allocated during it,
     * divided by what {@code count} finds in its output (its first group: calls, connections or messages).
     */
    private void measure(int round, String scenario, String metric, Pattern count, Load warmup, Load load)
            throws IOException, InterruptedException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        warmup.run();
        long[] ids = serverThreadIds();
        long before = sum(threads.getThreadAllocatedBytes(ids));
        String out = load.run();
        long after = sum(threads.getThreadAllocatedBytes(ids));
        Matcher m = count.matcher(out);
        long n = m.find() ? Long.parseLong(m.group(1)) : 0;
        results.add(new Results.Sample(SECTION, scenario, 1, "ripcord", round, metric, "B",
                n == 0 ? Double.NaN : (after - before) / (double) n, Double.NaN, Double.NaN, n == 0 ? 1 : 0));
    }

    /** Runs the examples' echo-client against {@code port} for {@code seconds}, with no warm-up of its own. */
    private String echoClient(String port, double seconds) throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-jar", config.examplesJar().toString(), "echo-client", "--port", port,
                "--connections", "16", "--size", "64", "--depth", "4", "--pollers", "1", "--warmup", "0",
                "--duration", Double.toString(seconds)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out;
        try (java.io.InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    private static long[] serverThreadIds() {
        List<Long> ids = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(PREFIX)) {
                ids.add(t.getId());
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    private static long sum(long[] v) {
        long s = 0;
        for (long x : v) {
            s += Math.max(0, x);
        }
        return s;
    }
}
