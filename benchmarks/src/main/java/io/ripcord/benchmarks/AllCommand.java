package io.ripcord.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code all}: the whole comparison suite in one run (echo vs Netty, RPC vs glusterd, KV, idle connections),
 * writing {@code results.md}, {@code raw.csv}, {@code machine.txt} and PNG plots to a results directory.
 * Never judges speed, and exits non-zero only when a section crashes: errors (echo mismatches, stalled
 * connections, failed calls) are counted in the tables.
 */
@Command(name = "all", mixinStandardHelpOptions = true,
        description = {"Runs the whole suite with a progress line on stderr and writes "
                + "benchmarks/results/<date>/ (results.md, raw.csv, machine.txt, *.png).",
                "Default: 3 rounds of 5 s runs (about 25 min); --quick: 1 round of 1 s (about 3 min); "
                        + "--smoke: seconds-long check that every scenario runs (CI)."})
public final class AllCommand implements Callable<Integer> {

    /** The echo runs' server CPU time per message, a table of its own. */
    static final String ECHO_CPU = "echo-cpu";

    /** How long and how often to measure. */
    record Config(int rounds, double duration, double warmup, int idleConnections, int idleRounds,
                  Path examplesJar, Path benchmarksJar, List<Integer> threads) {
    }

    @Option(names = "--quick", description = "1 round, 1 s runs after 0.5 s warmup.")
    private boolean quick;

    @Option(names = "--smoke", description = "1 round of 0.5 s runs, 1 I/O thread, 1,000 idle connections: "
            + "checks that everything runs, measures nothing worth quoting.")
    private boolean smoke;

    @Option(names = "--rounds", description = "Rounds of every section (default: 3; 1 with --quick or --smoke). "
            + "More rounds narrow the medians on a noisy machine.")
    private Integer rounds;

    @Option(names = "--out", description = "Results directory (default: benchmarks/results/<date>).")
    private Path out;

    @Option(names = "--sections", split = ",",
            description = "Sections among echo, ping, kv, rpc-tls, rpc-gss, idle, garbage (default: all of them).")
    private List<String> sections = List.of("echo", "ping", "kv", TlsRpcBench.SECTION, GssBench.SECTION, "idle",
            "garbage");

    @Option(names = "--examples-jar", description = "Ripcord examples jar (default: ${DEFAULT-VALUE}).")
    private Path examplesJar = Path.of("examples/target/ripcord-examples.jar");

    @Option(names = "--source-root", description = "Repository root, for the C load generator and floor server "
            + "(default: ${DEFAULT-VALUE}).")
    private Path sourceRoot = Path.of(".");

    @Override
    public Integer call() throws Exception {
        Config preset;
        Path benchmarksJar = CompareEchoCommand.ownJar();
        CompareEchoCommand.requireFile(examplesJar, "--examples-jar");
        CompareEchoCommand.requireFile(benchmarksJar, "--benchmarks-jar");
        if (smoke) {
            preset = new Config(1, 0.5, 0.5, 1000, 1, examplesJar, benchmarksJar, List.of(1));
        } else if (quick) {
            preset = new Config(1, 1, 0.5, 10_000, 1, examplesJar, benchmarksJar, List.of(1, 2));
        } else {
            preset = new Config(3, 5, 2, 10_000, 3, examplesJar, benchmarksJar, List.of(1, 2));
        }
        if (rounds != null && rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
        }
        Config c = rounds == null ? preset : new Config(rounds, preset.duration(), preset.warmup(),
                preset.idleConnections(), rounds, preset.examplesJar(), preset.benchmarksJar(), preset.threads());
        if (out == null) {
            out = Path.of("benchmarks", "results", LocalDate.now().toString());
        }
        Files.createDirectories(out);

        CompareEchoCommand echo = new CompareEchoCommand();
        echo.rounds = c.rounds();
        echo.duration = c.duration();
        echo.warmup = c.warmup();
        echo.threads = c.threads();
        echo.scenarioIds = List.of("lat", "a", "b", "c", "d");
        echo.examplesJar = examplesJar;
        echo.benchmarksJar = benchmarksJar;
        echo.sourceRoot = sourceRoot;
        if (smoke) {
            // NIO and epoll share Netty's pipeline: one Netty peer is enough to show the scenarios run.
            echo.serverNames = List.of("ripcord", "netty-epoll", "floor");
        }

        int steps = 0;
        steps += sections.contains("echo") ? echo.plannedRuns() : 0;
        steps += sections.contains("ping") ? RpcBench.plannedPingSteps(c) : 0;
        steps += sections.contains("kv") ? RpcBench.plannedKvSteps(c) : 0;
        steps += sections.contains(TlsRpcBench.SECTION) ? TlsRpcBench.plannedSteps(c) : 0;
        steps += sections.contains(GssBench.SECTION) ? GssBench.plannedSteps(c) : 0;
        steps += sections.contains("idle") ? IdleScale.plannedSteps(c) : 0;
        steps += sections.contains("garbage") ? GarbageBench.plannedSteps(c) : 0;
        Progress progress = new Progress(System.err, steps);
        Results results = new Results();
        long start = System.nanoTime();
        List<String> crashed = new ArrayList<>();

        if (sections.contains("echo")) {
            results.note("echo", String.format(Locale.ROOT, "load: Ripcord echo-client, its own JVM per run, %d "
                    + "pollers, warmup %.1f s, measured %.1f s, every echoed byte checked; servers in their own "
                    + "processes (JVMs with default flags), alternating ripcord, netty-nio, netty-epoll and floor (the "
                    + "C epoll echo server floor_server.c, one thread per listener, SO_REUSEPORT) in every round; "
                    + "medians over %d round(s). Scenario ids: lat = 1 connection ping-pong, d = 8 connections streaming 64 KiB "
                    + "messages 4 deep.", echo.clientPollersValue(), c.warmup(), c.duration(), c.rounds()));
            echo.listener = (t, round, server, s, sample) -> {
                results.add(new Results.Sample("echo", s.label(), t, server, round, "msgs/s", "1/s",
                        sample.messagesPerSecond(), sample.p50Micros(), sample.p99Micros(),
                        sample.errors() + sample.stalled()));
                if (!Double.isNaN(sample.serverCpuMicrosPerMessage())) {
                    results.add(new Results.Sample(ECHO_CPU, s.label(), t, server, round, "server CPU per msg",
                            "us", sample.serverCpuMicrosPerMessage(), Double.NaN, Double.NaN, 0));
                }
            };
            results.note(ECHO_CPU, "The same runs as the echo table: the server process's CPU time (user + system, "
                    + "all threads, from /proc/<pid>/stat, 10 ms ticks) over the client's measured window, divided "
                    + "by the messages echoed in it. Lower is better. On this machine the load generator and the "
                    + "kernel's loopback path take most of the 2 cores, so msgs/s moves less than the servers' own "
                    + "cost does; this is that cost.");
            CompareEchoCommand.Listener inner = echo.listener;
            echo.listener = (t, round, server, s, sample) -> {
                inner.sample(t, round, server, s, sample);
                progress.info(String.format(Locale.ROOT, "%s threads %d %s: %,.0f msgs/s, p99 %.0f us%s",
                        server, t, s.label(), sample.messagesPerSecond(), sample.p99Micros(),
                        sample.errors() == 0 ? "" : ", ERRORS " + sample.errors()));
            };
            echo.progress = progress;
            guard(crashed, "echo", () -> echo.collect(new LinkedHashMap<>()));
        }
        RpcBench rpc = new RpcBench(c, results, progress);
        NativeTools tools = new NativeTools(sourceRoot);
        if (sections.contains("ping")) {
            guard(crashed, "ping", () -> {
                rpc.ping(tools);
                return 0;
            });
        }
        if (sections.contains("kv")) {
            guard(crashed, "kv", () -> {
                rpc.kv();
                return 0;
            });
        }
        if (sections.contains(TlsRpcBench.SECTION)) {
            guard(crashed, TlsRpcBench.SECTION, () -> {
                new TlsRpcBench(c, results, progress).run();
                return 0;
            });
        }
        if (sections.contains(GssBench.SECTION)) {
            guard(crashed, GssBench.SECTION, () -> {
                new GssBench(c, results, progress).run();
                return 0;
            });
        }
        if (sections.contains("idle")) {
            guard(crashed, "idle", () -> {
                new IdleScale(c, results, progress).run();
                return 0;
            });
        }
        if (sections.contains("garbage")) {
            guard(crashed, "garbage", () -> {
                new GarbageBench(c, results, progress).run(tools);
                return 0;
            });
        }
        double minutes = (System.nanoTime() - start) / 60e9;
        write(c, results, minutes, crashed);
        long errors = results.samples().stream().mapToLong(Results.Sample::errors).sum();
        System.err.printf(Locale.ROOT, "done in %.1f min: %s (errors: %d%s)%n", minutes, out.toAbsolutePath(),
                errors, crashed.isEmpty() ? "" : ", crashed sections: " + crashed);
        // Errors (a stalled connection in a short run, a failed connect) are in the tables; only a crash fails.
        return crashed.isEmpty() ? 0 : 1;
    }

    private interface Section {
        int run() throws Exception;
    }

    private static void guard(List<String> crashed, String name, Section s) {
        try {
            s.run();
        } catch (Exception | Error e) {
            crashed.add(name);
            System.err.println("section " + name + " crashed: " + e);
            e.printStackTrace();
        }
    }

    /** A plot that fails is reported, never fatal: the tables matter more. */
    private static boolean plot(Results results, String section, String metric, boolean byThreads, String title,
                                String yTitle, java.util.function.ToDoubleFunction<Results.Row> value, boolean logY,
                                Path file) {
        try {
            return Plots.bars(results, section, metric, byThreads, title, yTitle, value, logY, file);
        } catch (Exception | Error e) {
            System.err.println("plot " + file.getFileName() + " failed: " + e);
            return false;
        }
    }

    private void write(Config c, Results results, double minutes, List<String> crashed) throws Exception {
        String mode = (smoke ? "--smoke" : quick ? "--quick" : "") + (rounds != null ? " --rounds " + rounds : "");
        Files.writeString(out.resolve("machine.txt"), Results.machine());
        results.writeCsv(out.resolve("raw.csv"));
        List<String> plots = new ArrayList<>();
        if (plot(results, "echo", "msgs/s", true, "Echo throughput (median msgs/s, log scale)", "msgs/s",
                Results.Row::median, true, out.resolve("echo-throughput.png"))) {
            plots.add("echo-throughput.png");
        }
        if (plot(results, "echo", "msgs/s", true, "Echo p99 latency (median of p99, us, log scale)", "us",
                Results.Row::p99Micros, true, out.resolve("echo-latency-p99.png"))) {
            plots.add("echo-latency-p99.png");
        }
        if (plot(results, "echo", "msgs/s", true, "Echo p50 latency (median of p50, us, log scale)", "us",
                Results.Row::p50Micros, true, out.resolve("echo-latency-p50.png"))) {
            plots.add("echo-latency-p50.png");
        }
        if (plot(results, "ping", "calls/s", false, "GF-DUMP PING (median calls/s)", "calls/s",
                Results.Row::median, false, out.resolve("rpc-ping.png"))) {
            plots.add("rpc-ping.png");
        }
        if (plot(results, "kv", "calls/s", false, "KV PUT/GET on rpc-server (median calls/s)", "calls/s",
                Results.Row::median, false, out.resolve("rpc-kv.png"))) {
            plots.add("rpc-kv.png");
        }
        if (plot(results, "idle", "heap per conn", false, "Idle connections: heap bytes per connection",
                "bytes", Results.Row::median, false, out.resolve("idle-heap.png"))) {
            plots.add("idle-heap.png");
        }
        StringBuilder header = new StringBuilder();
        header.append("# Ripcord benchmark results ").append(LocalDate.now()).append("\n\n");
        header.append("- command: `java -jar benchmarks/target/ripcord-benchmarks.jar all")
                .append(mode.isEmpty() ? "" : " " + mode).append("`\n");
        header.append(String.format(Locale.ROOT, "- %d round(s), %.1f s measured after %.1f s warmup per run; "
                + "total %.1f min%n", c.rounds(), c.duration(), c.warmup(), minutes));
        header.append(String.format(Locale.ROOT, "- machine: %d cores **shared by the load generator and the "
                + "server**; %s %s; %s %s (details: [machine.txt](machine.txt))%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("os.name"),
                System.getProperty("os.version")));
        header.append("- raw samples: [raw.csv](raw.csv); plots: ");
        for (String p : plots) {
            header.append('[').append(p).append("](").append(p).append(") ");
        }
        header.append('\n');
        if (!crashed.isEmpty()) {
            header.append("- **crashed sections: ").append(crashed).append("** (see the run's stderr)\n");
        }
        Map<String, String> titles = new LinkedHashMap<>();
        titles.put("echo", "Echo: Ripcord vs Netty NIO and epoll");
        titles.put(ECHO_CPU, "Echo: server CPU per message (lower is better)");
        titles.put("ping", "GF-DUMP PING: Ripcord rpc-server vs glusterd and the C floor");
        titles.put(RpcBench.PING_CPU, "GF-DUMP PING: server CPU per call (lower is better)");
        titles.put("kv", "KV store (kv.x) on rpc-server");
        titles.put(TlsRpcBench.SECTION, "RPC-with-TLS (RFC 9289) vs plaintext on rpc-server");
        titles.put(TlsRpcBench.CPU, "RPC-with-TLS vs plaintext: server CPU per call or connection (lower is better)");
        titles.put(GssBench.SECTION, "RPCSEC_GSS: KV_GET with AUTH_SYS, krb5, krb5i, krb5p; context setups");
        titles.put(GssBench.CPU, "RPCSEC_GSS: server CPU per call (lower is better)");
        titles.put("idle", "Idle connections: Ripcord vs Netty epoll");
        titles.put("garbage", "Garbage per call (server threads, steady state)");
        // A CPU table belongs to the section whose runs made it.
        Map<String, String> runBy = Map.of(ECHO_CPU, "echo", RpcBench.PING_CPU, "ping",
                TlsRpcBench.CPU, TlsRpcBench.SECTION, GssBench.CPU, GssBench.SECTION);
        titles.keySet().removeIf(k -> !sections.contains(runBy.getOrDefault(k, k)));
        Map<String, List<String>> baselines = Map.ofEntries(
                Map.entry("echo", List.of("netty-epoll", "floor")),
                Map.entry(ECHO_CPU, List.of("netty-nio", "netty-epoll", "floor")),
                Map.entry("ping", List.of("glusterd", "floor")),
                Map.entry(RpcBench.PING_CPU, List.of("glusterd", "floor")),
                Map.entry("idle", List.of("netty-epoll")),
                Map.entry(TlsRpcBench.SECTION, List.of(TlsRpcBench.PLAIN)),
                Map.entry(TlsRpcBench.CPU, List.of(TlsRpcBench.PLAIN)),
                Map.entry(GssBench.SECTION, List.of("AUTH_SYS")),
                Map.entry(GssBench.CPU, List.of("AUTH_SYS")));
        String md = results.markdown(header.toString(), titles, baselines);
        if (!plots.isEmpty()) {
            md += "\n## Plots\n\n";
            for (String p : plots) {
                md += "![" + p + "](" + p + ")\n\n";
            }
        }
        Files.writeString(out.resolve("results.md"), md);
    }
}
