package io.ripcord.benchmarks;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcClientOptions;
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
 * RPC scenarios: GF-DUMP PING (pipelined 8 x 8, and connect-call-close with 1, 16 and 64 clients at once)
 * against Ripcord's rpc-server, a private glusterd and the C floor server, driven by the C load generator
 * {@code gfping_bench.c}; KV PUT/GET against rpc-server, driven by a pipelined load generator on
 * {@link RpcClient} in this JVM.
 */
final class RpcBench {

    static final String SECTION_PING = "ping";
    static final String SECTION_KV = "kv";

    private static final int KV_PROGRAM = 0x20000B0B;
    static final int KV_PUT = 1;
    static final int KV_GET = 2;
    private static final Pattern RATE = Pattern.compile("= (\\d+) ");
    private static final Pattern BAD = Pattern.compile("non-SUCCESS: (\\d+)");
    private static final Pattern CALLS = Pattern.compile(": (\\d+) (?:calls|replies) in");
    private static final Pattern LATENCY = Pattern.compile("p50=(\\d+)us p99=(\\d+)us");

    private final AllCommand.Config config;
    private final Results results;
    private final Progress progress;

    RpcBench(AllCommand.Config config, Results results, Progress progress) {
        this.config = config;
        this.results = results;
        this.progress = progress;
    }

    static int plannedPingSteps(AllCommand.Config c) {
        int reusePortRuns = (int) c.threads().stream().filter(t -> t > 1).count();
        return c.rounds() * (c.threads().size() * 3 + reusePortRuns);
    }

    static int plannedKvSteps(AllCommand.Config c) {
        return c.rounds() * 4;
    }

    // --- GF-DUMP PING ---------------------------------------------------------------------------------------

    /** The connect-call-close loads: how many clients cycle at once. */
    static final int[] CCC_CLIENTS = {1, 16, 64};

    void ping(NativeTools tools) throws Exception {
        Path load = tools.get(NativeTools.LOAD);
        if (load == null) {
            results.note(SECTION_PING, "skipped: " + tools.why(NativeTools.LOAD));
            progress.skip(plannedPingSteps(config));
            return;
        }
        Path floor = tools.get(NativeTools.FLOOR);
        if (floor == null) {
            results.note(SECTION_PING, "no floor server: " + tools.why(NativeTools.FLOOR));
        }
        boolean glusterd = NativeTools.onPath("glusterd");
        if (!glusterd) {
            results.note(SECTION_PING, "glusterd is not installed (apt-get install glusterfs-server): no glusterd rows.");
        }
        results.note(SECTION_PING, "load: `gfping_bench` (benchmarks/src/main/c/gfping_bench.c, gcc -O2), one "
                + "thread; pipelined = 8 connections x 8 calls in flight; connect-call-close = connect, one call, "
                + "reply, close (the gluster CLI's pattern): 1 client in a blocking loop, or 16 / 64 clients at once "
                + "(non-blocking, epoll). Servers: Ripcord rpc-server with N pollers (ripcord-reuseport: with `--reuseport`, "
                + "a listening socket per poller, SO_REUSEPORT; only with 2 or more pollers); a private glusterd with "
                + "`event-threads N` and otherwise Debian's glusterd.vol; the floor (`floor_server.c`: a minimal C "
                + "epoll server, one thread per listener, N listeners on the port with SO_REUSEPORT, answering each "
                + "call with a fixed void reply). They alternate in every round; each starts fresh and is warmed up "
                + "unmeasured with pipelined calls and with connect-call-close cycles, the warm-up time each.");
        results.note(PING_CPU, "The same runs: the server process's CPU time (user + system, all threads, from "
                + "/proc/<pid>/stat, 10 ms ticks) over the load generator's run, divided by the calls answered. "
                + "Lower is better; steadier than calls/s on a machine whose cores the load generator shares.");
        for (int round = 1; round <= config.rounds(); round++) {
            for (int t : config.threads()) {
                String n = Integer.toString(t);
                progress.step("ping round " + round + " ripcord " + t + " poller(s)");
                try (ServerProcess s = ServerProcess.start("rpc-server", List.of(),
                        List.of(config.examplesJar().toString(), "rpc-server", "--port", "0", "--pollers", n))) {
                    measurePing(load, "ripcord", t, round, s.address().getPort(), s.pid());
                }
                if (t > 1) {
                    progress.step("ping round " + round + " ripcord " + t + " pollers, a listening socket each");
                    try (ServerProcess s = ServerProcess.start("rpc-server", List.of(),
                            List.of(config.examplesJar().toString(), "rpc-server", "--port", "0", "--pollers", n,
                                    "--reuseport"))) {
                        measurePing(load, "ripcord-reuseport", t, round, s.address().getPort(), s.pid());
                    }
                }
                progress.step("ping round " + round + " glusterd " + t + " event thread(s)");
                if (glusterd) {
                    try (PrivateGlusterd g = PrivateGlusterd.start(load, t)) {
                        measurePing(load, "glusterd", t, round, g.port, g.pid());
                    } catch (IOException e) {
                        results.note(SECTION_PING, "round " + round + ": glusterd failed: " + e.getMessage());
                    }
                }
                progress.step("ping round " + round + " floor " + t + " thread(s)");
                if (floor != null) {
                    try (ServerProcess f = ServerProcess.command("floor", List.of(floor.toString(), "rpc", "0", n))) {
                        measurePing(load, "floor", t, round, f.address().getPort(), f.pid());
                    }
                }
            }
        }
    }

    /** The section of the ping runs' server CPU per call. */
    static final String PING_CPU = "ping-cpu";

    private void measurePing(Path load, String server, int threads, int round, int port, long pid) throws Exception {
        String p = Integer.toString(port);
        double warm = Math.max(0.3, config.warmup());
        String secs = Double.toString(config.duration());
        // Each pattern warms up for the full warm-up time: the accept path (a JVM server's accept, configure,
        // register, close) is code the pipelined warm-up never runs, and half of it left the first second of the
        // measured connect-call-close run to the JIT.
        run(load, "pipe", "127.0.0.1", p, "8", "8", Double.toString(warm));
        run(load, "ccc", "127.0.0.1", p, Double.toString(warm));
        add("pipelined 8 conn x 8 in flight", server, threads, round, pid,
                () -> run(load, "pipe", "127.0.0.1", p, "8", "8", secs));
        for (int clients : CCC_CLIENTS) {
            String scenario = "connect-call-close, " + clients + (clients == 1 ? " client" : " clients");
            add(scenario, server, threads, round, pid, clients == 1
                    ? () -> run(load, "ccc", "127.0.0.1", p, secs)
                    : () -> run(load, "cccn", "127.0.0.1", p, Integer.toString(clients), secs));
        }
    }

    private interface LoadRun {
        String run() throws Exception;
    }

    /** Runs the load once and records its rate, and the server's CPU time per call over it. */
    private void add(String scenario, String server, int threads, int round, long pid, LoadRun load)
            throws Exception {
        long cpu0 = CpuTime.ofProcess(pid);
        String output = load.run();
        long cpu1 = CpuTime.ofProcess(pid);
        Matcher m = RATE.matcher(output);
        Matcher b = BAD.matcher(output);
        Matcher c = CALLS.matcher(output);
        Matcher l = LATENCY.matcher(output);
        double rate = m.find() ? Double.parseDouble(m.group(1)) : 0;
        long bad = b.find() ? Long.parseLong(b.group(1)) : 1;
        long calls = c.find() ? Long.parseLong(c.group(1)) : 0;
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        if (l.find()) {
            p50 = Double.parseDouble(l.group(1));
            p99 = Double.parseDouble(l.group(2));
        }
        if (rate == 0) {
            bad = Math.max(bad, 1);
            results.note(SECTION_PING, server + " round " + round + " " + scenario + ": no rate in `"
                    + output.trim() + "`");
        }
        results.add(new Results.Sample(SECTION_PING, scenario, threads, server, round, "calls/s", "1/s", rate, p50,
                p99, bad));
        if (cpu0 >= 0 && cpu1 >= 0 && calls > 0) {
            results.add(new Results.Sample(PING_CPU, scenario, threads, server, round, "server CPU per call", "us",
                    (cpu1 - cpu0) / 1e3 / calls, Double.NaN, Double.NaN, 0));
        }
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
                        prefill(pool, s.address(), size, RpcClientOptions.defaults());
                        for (int proc : new int[] {KV_PUT, KV_GET}) {
                            String name = (proc == KV_PUT ? "PUT " : "GET ") + (size == 100 ? "100 B" : "64 KiB");
                            progress.step("kv round " + round + " " + name);
                            kvRun(pool, s.address(), RpcClientOptions.defaults(), conns, depth, proc, size,
                                    config.warmup(), null);
                            long[] errors = new long[1];
                            LatencyRecorder lat = new LatencyRecorder();
                            double rate = kvRun(pool, s.address(), RpcClientOptions.defaults(), conns, depth, proc,
                                    size, config.duration(), new Object[] {lat, errors});
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
    static void prefill(EventPool pool, InetSocketAddress address, int size, RpcClientOptions options)
            throws Exception {
        byte[] value = new byte[size];
        try (RpcClient c = RpcClient.connect(pool, address, options).get(10, TimeUnit.SECONDS)) {
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

    /**
     * {@code conns} clients made with {@code options}, {@code depth} calls in flight each, for {@code seconds}.
     *
     * @param out null, or {a LatencyRecorder, a long[1] for the errors}
     * @return calls per second
     */
    static double kvRun(EventPool pool, InetSocketAddress address, RpcClientOptions options, int conns, int depth,
                        int proc, int size, double seconds, Object[] out) throws Exception {
        byte[] value = new byte[size];
        ThreadLocalRandom.current().nextBytes(value);
        List<RpcClient> clients = new ArrayList<>();
        for (int i = 0; i < conns; i++) {
            clients.add(RpcClient.connect(pool, address, options).get(10, TimeUnit.SECONDS));
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
