package io.ripcord.benchmarks;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.RpcService;
import io.ripcord.transport.Listener;
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
 * Garbage per GF-DUMP PING in steady state: an {@link RpcService} (GF-DUMP only) in this JVM on its own
 * one-poller pool, loaded by {@code gfping_bench} (another process, so its allocations do not count); the
 * bytes its poller threads allocated ({@code com.sun.management.ThreadMXBean}) divided by the replies.
 */
final class GarbageBench {

    static final String SECTION = "garbage";
    private static final String PREFIX = "garbage-srv";
    private static final Pattern REPLIES = Pattern.compile(": (\\d+) replies");

    private final AllCommand.Config config;
    private final Results results;
    private final Progress progress;

    GarbageBench(AllCommand.Config config, Results results, Progress progress) {
        this.config = config;
        this.results = results;
        this.progress = progress;
    }

    static int plannedSteps(AllCommand.Config c) {
        return c.rounds();
    }

    void run(Path sourceRoot) throws Exception {
        Path tool = new RpcBench(config, results, progress).compileTool(sourceRoot, SECTION);
        if (tool == null) {
            progress.skip(plannedSteps(config));
            return;
        }
        results.note(SECTION, "server: RpcService (GF-DUMP only) in the orchestrating JVM, 1 poller; load: "
                + "gfping_bench pipelined 8 conn x 8 in flight (another process); bytes = allocated by the server's "
                + "poller thread (ThreadMXBean) during the measured run / replies. Echo garbage is not measured yet.");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        EventPool pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix(PREFIX).build())
                .start();
        try {
            RpcService service = RpcService.create();
            Listener l = service.listen(pool, new InetSocketAddress("127.0.0.1", 0));
            String port = Integer.toString(((InetSocketAddress) l.address()).getPort());
            for (int round = 1; round <= config.rounds(); round++) {
                progress.step("garbage round " + round + " GF-DUMP PING");
                RpcBench.run(tool, "pipe", "127.0.0.1", port, "8", "8", Double.toString(Math.max(0.5, config.warmup())));
                long[] ids = serverThreadIds();
                long before = sum(threads.getThreadAllocatedBytes(ids));
                String out = RpcBench.run(tool, "pipe", "127.0.0.1", port, "8", "8",
                        Double.toString(config.duration()));
                long after = sum(threads.getThreadAllocatedBytes(ids));
                Matcher m = REPLIES.matcher(out);
                long replies = m.find() ? Long.parseLong(m.group(1)) : 0;
                results.add(new Results.Sample(SECTION, "GF-DUMP PING, pipelined 8 x 8", 1, "ripcord", round,
                        "bytes allocated per call", "B", replies == 0 ? Double.NaN : (after - before) / (double) replies,
                        Double.NaN, Double.NaN, replies == 0 ? 1 : 0));
            }
            l.close();
        } finally {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
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
