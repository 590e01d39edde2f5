package io.ripcord.benchmarks;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.xdr.XdrEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RPC scenarios: GF-DUMP PING (pipelined 8 x 8, and connect-call-close) against Ripcord's rpc-server and a
 * private glusterd, driven by the C load generator {@code gfping_bench.c}; KV PUT/GET against rpc-server,
 * driven by a pipelined load generator on {@link RpcClient} in this JVM.
 */
final class RpcBench {

    static final String SECTION_PING = "ping";
    static final String SECTION_KV = "kv";

    private static final int KV_PROGRAM = 0x20000B0B;
    private static final int KV_PUT = 1;
    private static final int KV_GET = 2;
    private static final Pattern RATE = Pattern.compile("= (\\d+) ");
    private static final Pattern BAD = Pattern.compile("non-SUCCESS: (\\d+)");

    private final AllCommand.Config config;
    private final Results results;
    private final Progress progress;

    RpcBench(AllCommand.Config config, Results results, Progress progress) {
        this.config = config;
        this.results = results;
        this.progress = progress;
    }

    static int plannedPingSteps(AllCommand.Config c) {
        return c.rounds() * 2;
    }

    static int plannedKvSteps(AllCommand.Config c) {
        return c.rounds() * 4;
    }

    // --- GF-DUMP PING ---------------------------------------------------------------------------------------

    void ping(Path sourceRoot) throws Exception {
        Path tool = compileTool(sourceRoot, SECTION_PING);
        if (tool == null) {
            progress.skip(plannedPingSteps(config));
            return;
        }
        boolean glusterd = onPath("glusterd");
        if (!glusterd) {
            results.note(SECTION_PING, "glusterd is not installed (apt-get install glusterfs-server): Ripcord only.");
        }
        results.note(SECTION_PING, "load: `gfping_bench` (benchmarks/src/main/c/gfping_bench.c, gcc -O2), one "
                + "thread; pipelined = 8 connections x 8 calls in flight; connect-call-close = connect, one call, "
                + "reply, close, in a loop (the gluster CLI's pattern). Ripcord rpc-server with 1 poller vs a "
                + "private glusterd with `event-threads 1`, its own volfile, port and state directory. Each round "
                + "starts a fresh server and warms it up unmeasured.");
        for (int round = 1; round <= config.rounds(); round++) {
            progress.step("ping round " + round + " ripcord");
            try (ServerProcess s = ServerProcess.start("rpc-server", List.of(),
                    List.of(config.examplesJar().toString(), "rpc-server", "--port", "0", "--pollers", "1"))) {
                measurePing(tool, "ripcord", round, s.address().getPort());
            }
            progress.step("ping round " + round + " glusterd");
            if (glusterd) {
                try (PrivateGlusterd g = PrivateGlusterd.start(tool)) {
                    measurePing(tool, "glusterd", round, g.port);
                } catch (IOException e) {
                    results.note(SECTION_PING, "round " + round + ": glusterd failed: " + e.getMessage());
                }
            }
        }
    }

    private void measurePing(Path tool, String server, int round, int port) throws Exception {
        String p = Integer.toString(port);
        double warm = Math.max(0.3, config.warmup());
        run(tool, "pipe", "127.0.0.1", p, "8", "8", Double.toString(warm));
        run(tool, "ccc", "127.0.0.1", p, Double.toString(warm / 2));
        String pipe = run(tool, "pipe", "127.0.0.1", p, "8", "8", Double.toString(config.duration()));
        String ccc = run(tool, "ccc", "127.0.0.1", p, Double.toString(config.duration()));
        add(SECTION_PING, "pipelined 8 conn x 8 in flight", server, round, pipe);
        add(SECTION_PING, "connect-call-close", server, round, ccc);
    }

    private void add(String section, String scenario, String server, int round, String output) {
        Matcher m = RATE.matcher(output);
        Matcher b = BAD.matcher(output);
        double rate = m.find() ? Double.parseDouble(m.group(1)) : 0;
        long bad = b.find() ? Long.parseLong(b.group(1)) : 1;
        if (rate == 0) {
            bad = Math.max(bad, 1);
            results.note(section, server + " round " + round + " " + scenario + ": no rate in `" + output.trim() + "`");
        }
        results.add(new Results.Sample(section, scenario, 1, server, round, "calls/s", "1/s", rate, Double.NaN,
                Double.NaN, bad));
    }

    static String run(Path tool, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool.toString());
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    /** Compiles gfping_bench.c into a temporary directory; null (with a note in {@code section}) when it cannot. */
    Path compileTool(Path sourceRoot, String section) throws IOException, InterruptedException {
        return compile(sourceRoot.resolve("benchmarks/src/main/c/gfping_bench.c"), section);
    }

    private Path compile(Path source, String section) throws IOException, InterruptedException {
        if (!Files.isRegularFile(source)) {
            results.note(section, "skipped: " + source + " not found (run from the repository root)");
            return null;
        }
        if (!onPath("gcc")) {
            results.note(section, "skipped: gcc is not installed");
            return null;
        }
        Path bin = Files.createTempDirectory("gfping").resolve("gfping_bench");
        Process p = new ProcessBuilder("gcc", "-O2", "-o", bin.toString(), source.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            results.note(section, "skipped: gcc failed on " + source);
            return null;
        }
        return bin;
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", program));
    }

    /** A glusterd with its own volfile, port, state directory and CLI socket (never the system one). */
    static final class PrivateGlusterd implements AutoCloseable {
        private final Process process;
        final int port;

        private PrivateGlusterd(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static PrivateGlusterd start(Path tool) throws IOException, InterruptedException {
            Path dir = Files.createTempDirectory("glusterd-bench");
            Files.createDirectories(dir.resolve("wd"));
            int port = 24017;
            Files.writeString(dir.resolve("glusterd.vol"), String.join("\n",
                    "volume management",
                    "    type mgmt/glusterd",
                    "    option working-directory " + dir.resolve("wd"),
                    "    option transport-type socket",
                    "    option transport.socket.listen-port " + port,
                    "    option glusterd-sockfile " + dir.resolve("glusterd.socket"),
                    "    option ping-timeout 0",
                    "    option event-threads 1",
                    "end-volume", ""));
            String exe = Files.isExecutable(Path.of("/usr/sbin/glusterd")) ? "/usr/sbin/glusterd" : "glusterd";
            Process p = new ProcessBuilder(exe, "-N", "-f", dir.resolve("glusterd.vol").toString(),
                    "-l", dir.resolve("glusterd.log").toString(), "-p", dir.resolve("pid").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            PrivateGlusterd g = new PrivateGlusterd(p, port);
            // glusterd accepts at once but answers only after its start-up scripts (seconds): wait for a reply.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IOException("glusterd exited " + p.exitValue() + "; see " + dir);
                }
                if (run(tool, "pipe", "127.0.0.1", Integer.toString(port), "1", "1", "0.1")
                        .matches("(?s).* [1-9][0-9]* replies.*")) {
                    return g;
                }
                Thread.sleep(200);
            }
            g.close();
            throw new IOException("glusterd did not answer within 30 s; see " + dir);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    // --- KV PUT / GET ---------------------------------------------------------------------------------------

    void kv() throws Exception {
        int conns = 4;
        int depth = 16;
        results.note(SECTION_KV, String.format(Locale.ROOT, "load: RpcClient in the orchestrating JVM (1 poller), "
                + "%d connections x %d calls in flight, keys `k0`..`k999`; PUT stores the value, GET reads it back "
                + "(after the PUT run filled the keys). Server: rpc-server (kv.x) with 1 poller, its own JVM, "
                + "fresh each round.", conns, depth));
        EventPool pool = EventPool.create(EventPoolOptions.builder().pollers(1).build()).start();
        try {
            for (int round = 1; round <= config.rounds(); round++) {
                try (ServerProcess s = ServerProcess.start("rpc-server", List.of(),
                        List.of(config.examplesJar().toString(), "rpc-server", "--port", "0", "--pollers", "1"))) {
                    for (int size : new int[] {100, 65536}) {
                        prefill(pool, s.address(), size);
                        for (int proc : new int[] {KV_PUT, KV_GET}) {
                            String name = (proc == KV_PUT ? "PUT " : "GET ") + (size == 100 ? "100 B" : "64 KiB");
                            progress.step("kv round " + round + " " + name);
                            kvRun(pool, s.address(), conns, depth, proc, size, config.warmup(), null);
                            long[] errors = new long[1];
                            LatencyRecorder lat = new LatencyRecorder();
                            double rate = kvRun(pool, s.address(), conns, depth, proc, size, config.duration(),
                                    new Object[] {lat, errors});
                            results.add(new Results.Sample(SECTION_KV, name + " (" + conns + " conn x " + depth
                                    + ")", 1, "ripcord", round, "calls/s", "1/s", rate, lat.percentile(50),
                                    lat.percentile(99), errors[0]));
                        }
                    }
                }
            }
        } finally {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
    }

    /** Stores every key the load will touch, so that each GET finds a value of the expected size. */
    private static void prefill(EventPool pool, InetSocketAddress address, int size) throws Exception {
        byte[] value = new byte[size];
        try (RpcClient c = RpcClient.connect(pool, address).get(10, TimeUnit.SECONDS)) {
            List<java.util.concurrent.CompletableFuture<Boolean>> calls = new ArrayList<>();
            for (int k = 0; k < 1000; k++) {
                calls.add(c.call(KV_PROGRAM, 1, KV_PUT, RpcBench::writePair,
                        new byte[][] {("k" + k).getBytes(StandardCharsets.UTF_8), value}, d -> d.readBoolean()));
                if (calls.size() == 32) {
                    for (var f : calls) {
                        f.get(30, TimeUnit.SECONDS);
                    }
                    calls.clear();
                }
            }
            for (var f : calls) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static double kvRun(EventPool pool, InetSocketAddress address, int conns, int depth, int proc, int size,
                                double seconds, Object[] out) throws Exception {
        byte[] value = new byte[size];
        ThreadLocalRandom.current().nextBytes(value);
        List<RpcClient> clients = new ArrayList<>();
        for (int i = 0; i < conns; i++) {
            clients.add(RpcClient.connect(pool, address).get(10, TimeUnit.SECONDS));
        }
        LatencyRecorder lat = out == null ? new LatencyRecorder() : (LatencyRecorder) out[0];
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong inflight = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        long start = System.nanoTime();
        for (RpcClient c : clients) {
            for (int d = 0; d < depth; d++) {
                inflight.incrementAndGet();
                issue(c, proc, value, d * 1000 / depth, lat, done, errors, inflight, stop);
            }
        }
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        long elapsed = System.nanoTime() - start;
        long completed = done.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inflight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        for (RpcClient c : clients) {
            c.close();
        }
        if (out != null) {
            ((long[]) out[1])[0] = errors.get() + inflight.get();
        }
        return completed / (elapsed / 1e9);
    }

    private static void issue(RpcClient c, int proc, byte[] value, int key, LatencyRecorder lat, AtomicLong done,
                              AtomicLong errors, AtomicLong inflight, AtomicBoolean stop) {
        byte[] k = ("k" + key).getBytes(StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        var f = proc == KV_PUT
                ? c.call(KV_PROGRAM, 1, KV_PUT, RpcBench::writePair, new byte[][] {k, value}, d -> d.readBoolean())
                : c.call(KV_PROGRAM, 1, KV_GET, (XdrEncoder e, byte[] key2) -> e.writeOpaque(key2, 255), k,
                        d -> d.readBoolean() ? d.readOpaque(1 << 20) : null);
        f.whenComplete((r, e) -> {
            if (e != null || (proc == KV_GET && (r == null || ((byte[]) r).length != value.length))) {
                errors.incrementAndGet();
            } else {
                done.incrementAndGet();
                lat.record(System.nanoTime() - t0);
            }
            if (stop.get() || e != null) {
                inflight.decrementAndGet();
            } else {
                issue(c, proc, value, (key + 1) % 1000, lat, done, errors, inflight, stop);
            }
        });
    }

    private static void writePair(XdrEncoder e, byte[][] pair) {
        e.writeOpaque(pair[0], 255);
        e.writeOpaque(pair[1], 1 << 20);
    }

    /** Latencies in a bounded reservoir (every sample up to 2^20, then a uniform subset): percentiles in us. */
    static final class LatencyRecorder {
        private final long[] values = new long[1 << 20];
        private long count;

        synchronized void record(long nanos) {
            if (count < values.length) {
                values[(int) count] = nanos;
            } else {
                long j = ThreadLocalRandom.current().nextLong(count + 1);
                if (j < values.length) {
                    values[(int) j] = nanos;
                }
            }
            count++;
        }

        synchronized double percentile(double p) {
            int n = (int) Math.min(count, values.length);
            if (n == 0) {
                return Double.NaN;
            }
            long[] v = Arrays.copyOf(values, n);
            Arrays.sort(v);
            return v[Math.min(n - 1, (int) Math.ceil(p / 100 * n) - 1 < 0 ? 0 : (int) Math.ceil(p / 100 * n) - 1)]
                    / 1000.0;
        }
    }
}
