package io.ripcord.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code compare-echo}: Ripcord's echo server against Netty's (NIO and epoll), each in its own JVM, under the
 * same load from Ripcord's echo client (its own JVM per run). Servers alternate A B C in every round so a
 * drift of the machine hits all of them alike; the table shows medians over the rounds.
 */
@Command(name = "compare-echo", mixinStandardHelpOptions = true,
        description = {"Runs Ripcord's and Netty's echo servers in turn against the same echo-client load and "
                + "prints a Markdown table of medians on stdout (progress on stderr)."})
public final class CompareEchoCommand implements Callable<Integer> {

    /** One load shape. */
    record Scenario(String id, int connections, int size, int depth) {
        String label() {
            return String.format(Locale.ROOT, "(%s) %d conn x %d B x depth %d", id, connections, size, depth);
        }
    }

    /** One server: a name and the command that starts it with some I/O threads on an ephemeral port. */
    record Server(String name, List<String> command) {
    }

    /**
     * What one client run measured. {@code serverCpuMicrosPerMessage}: the server process's CPU time (user +
     * system, from {@code /proc/<pid>/stat}) over the measured window divided by the messages echoed in it; NaN
     * where it could not be read.
     */
    record Sample(double messagesPerSecond, double p50Micros, double p99Micros, long errors, long stalled,
                  double serverCpuMicrosPerMessage) {
        Sample(double messagesPerSecond, double p50Micros, double p99Micros, long errors, long stalled) {
            this(messagesPerSecond, p50Micros, p99Micros, errors, stalled, Double.NaN);
        }
    }

    /** Hears every client run as it ends (the {@code all} command's results and progress). */
    interface Listener {
        void sample(int threads, int round, String server, Scenario scenario, Sample sample);
    }

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("lat", 1, 64, 1),
            new Scenario("a", 64, 64, 1),
            new Scenario("b", 16, 4096, 4),
            new Scenario("c", 1000, 64, 1),
            new Scenario("d", 8, 65536, 4));

    @Spec
    private CommandSpec spec;

    @Option(names = "--rounds", description = "Rounds of A B C (default: ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--duration", description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
    double duration = 5;

    @Option(names = "--warmup", description = "Unmeasured seconds before each run (default: ${DEFAULT-VALUE}).")
    double warmup = 2;

    @Option(names = "--quick", description = "One round of 1 s runs after 0.5 s warmup: a smoke run.")
    private boolean quick;

    @Option(names = "--threads", split = ",", description = "Server I/O thread counts (default: 1,2).")
    List<Integer> threads = List.of(1, 2);

    @Option(names = "--scenarios", split = ",", description = "Scenario ids among lat (1 conn ping-pong), "
            + "a, b, c, d (8 conns streaming 64 KiB) (default: a, b, c).")
    List<String> scenarioIds = List.of("a", "b", "c");

    @Option(names = "--servers", split = ",",
            description = "Servers among ripcord, netty-nio, netty-epoll, floor (the C epoll echo server of "
                    + "benchmarks/src/main/c/floor_server.c; not with --tls) (default: all).")
    List<String> serverNames = List.of("ripcord", "netty-nio", "netty-epoll", "floor");

    @Option(names = "--ripcord-jar", description = "Another build of Ripcord's examples jar to run as one more "
            + "server, NAME=JAR (repeatable; add NAME to --servers): to compare two builds in one run.")
    Map<String, Path> otherRipcordJars = new LinkedHashMap<>();

    @Option(names = "--source-root", description = "Repository root, for the floor server's C source "
            + "(default: ${DEFAULT-VALUE}).")
    Path sourceRoot = Path.of(".");

    /** The floor server's binary, built by {@link #collect}; null until then or when it cannot be built. */
    private Path floorBinary;

    @Option(names = "--tls", description = "Every connection over TLS (the JDK's SSLEngine on both sides; Netty "
            + "through its SslHandler), with Ripcord's bundled demo certificate.")
    boolean tls;

    /** The demo key and certificate, extracted from the examples jar for Netty when {@link #tls} is on. */
    private Path demoP12;

    @Option(names = "--client-pollers", description = "echo-client --pollers (default: the number of processors).")
    private int clientPollers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--server-jvm-arg", description = "Extra JVM argument for every server (repeatable), "
            + "e.g. -XX:StartFlightRecording=...")
    List<String> serverJvmArgs = new ArrayList<>();

    @Option(names = "--examples-jar", description = "Ripcord examples jar (default: ${DEFAULT-VALUE}).")
    Path examplesJar = Path.of("examples/target/ripcord-examples.jar");

    @Option(names = "--benchmarks-jar", description = "This jar (default: the jar this runs from, else "
            + "benchmarks/target/ripcord-benchmarks.jar).")
    Path benchmarksJar;

    /** Set by the {@code all} command; null when run on its own. */
    Listener listener;

    /** Set by the {@code all} command: one step per client run. */
    Progress progress;

    int clientPollersValue() {
        return clientPollers;
    }

    @Override
    public Integer call() throws Exception {
        if (quick) {
            rounds = 1;
            duration = 1;
            warmup = 0.5;
        }
        List<Scenario> scenarios = scenarios();
        long start = System.nanoTime();
        // (threads, scenario, server) -> samples, in insertion order for the table.
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        int failures = collect(samples);
        double minutes = (System.nanoTime() - start) / 60e9;
        printTable(scenarios, samples, minutes);
        return failures == 0 ? 0 : 1;
    }

    List<Scenario> scenarios() {
        List<Scenario> scenarios = new ArrayList<>();
        for (Scenario s : SCENARIOS) {
            if (scenarioIds.contains(s.id())) {
                scenarios.add(s);
            }
        }
        return scenarios;
    }

    /** Client runs this configuration makes: for progress reports. */
    int plannedRuns() {
        return threads.size() * rounds * servers(1).size() * scenarios().size();
    }

    /** Runs every (threads, round, server, scenario); returns the number of failed client runs. */
    int collect(Map<String, List<Sample>> samples) throws Exception {
        if (benchmarksJar == null) {
            benchmarksJar = ownJar();
        }
        requireFile(examplesJar, "--examples-jar");
        requireFile(benchmarksJar, "--benchmarks-jar");
        if (tls && demoP12 == null) {
            demoP12 = extractDemoP12(examplesJar);
        }
        if (!tls && serverNames.contains("floor") && floorBinary == null) {
            NativeTools tools = new NativeTools(sourceRoot);
            floorBinary = tools.get(NativeTools.FLOOR);
            if (floorBinary == null) {
                System.err.println("compare-echo: no floor server: " + tools.why(NativeTools.FLOOR));
                serverNames = serverNames.stream().filter(n -> !n.equals("floor")).toList();
            }
        }
        List<Scenario> scenarios = scenarios();
        int failures = 0;
        for (int t : threads) {
            List<Server> servers = servers(t);
            for (int round = 1; round <= rounds; round++) {
                for (Server server : servers) {
                    failures += runServer(server, t, round, scenarios, samples);
                }
            }
        }
        return failures;
    }

    private List<Server> servers(int t) {
        List<String> ripcordTls = tls ? List.of("--tls") : List.of();
        List<String> nettyTls = tls ? List.of("--tls-p12", String.valueOf(demoP12)) : List.of();
        List<Server> all = new ArrayList<>(List.of(
                new Server("ripcord", java(concat(List.of(String.valueOf(examplesJar), "echo-server", "--port", "0",
                        "--pollers", Integer.toString(t)), ripcordTls))),
                new Server("netty-nio", java(concat(List.of(String.valueOf(benchmarksJar), "netty-echo-server",
                        "--port", "0", "--transport", "nio", "--threads", Integer.toString(t)), nettyTls))),
                new Server("netty-epoll", java(concat(List.of(String.valueOf(benchmarksJar), "netty-echo-server",
                        "--port", "0", "--transport", "epoll", "--threads", Integer.toString(t)), nettyTls)))));
        if (!tls) {
            all.add(new Server("floor", List.of(String.valueOf(floorBinary), "echo", "0", Integer.toString(t))));
        }
        otherRipcordJars.forEach((name, jar) -> all.add(new Server(name, java(concat(List.of(String.valueOf(jar),
                "echo-server", "--port", "0", "--pollers", Integer.toString(t)), ripcordTls)))));
        List<Server> picked = new ArrayList<>();
        for (Server s : all) {
            if (serverNames.contains(s.name())) {
                picked.add(s);
            }
        }
        return picked;
    }

    /** {@code java [server JVM args] -jar jarAndArgs...}. */
    private List<String> java(List<String> jarAndArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.addAll(serverJvmArgs);
        cmd.add("-jar");
        cmd.addAll(jarAndArgs);
        return cmd;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Copies the examples' demo PKCS12 (which echo-client --tls trusts) out of their jar for Netty's server. */
    private static Path extractDemoP12(Path examplesJar) throws IOException {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(examplesJar.toFile())) {
            java.util.jar.JarEntry e = jar.getJarEntry("io/ripcord/examples/echo/demo-selfsigned.p12");
            if (e == null) {
                throw new IOException(examplesJar + " holds no io/ripcord/examples/echo/demo-selfsigned.p12");
            }
            Path p = Files.createTempFile("ripcord-demo", ".p12");
            p.toFile().deleteOnExit();
            try (InputStream in = jar.getInputStream(e)) {
                Files.copy(in, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return p;
        }
    }

    /** Starts {@code server}, runs every scenario against it, stops it; returns the number of failed runs. */
    private int runServer(Server server, int t, int round, List<Scenario> scenarios,
                          Map<String, List<Sample>> samples) throws Exception {
        Process p = new ProcessBuilder(server.command()).redirectErrorStream(true).start();
        Deque<String> tail = new ArrayDeque<>();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread reader = drain(p.getInputStream(), tail, listening);
        int failed = 0;
        try {
            String address;
            try {
                address = listening.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(server.name() + " did not print 'listening on': " + tail, e);
            }
            String host = address.substring(address.indexOf('/') + 1, address.lastIndexOf(':'));
            String port = address.substring(address.lastIndexOf(':') + 1);
            for (Scenario s : scenarios) {
                if (progress != null) {
                    progress.step("echo threads " + t + " round " + round + " " + server.name() + " " + s.label());
                }
                Sample sample = runClient(host, port, s, p.pid());
                samples.computeIfAbsent(key(t, s, server.name()), k -> new ArrayList<>()).add(sample);
                if (sample.errors() != 0) {
                    failed++;
                }
                if (listener != null) {
                    listener.sample(t, round, server.name(), s, sample);
                    continue;
                }
                System.err.printf(Locale.ROOT, "threads %d round %d %-11s %s: %,.0f msgs/s, p99 %.0f us%s%n",
                        t, round, server.name(), s.label(), sample.messagesPerSecond(), sample.p99Micros(),
                        (sample.errors() == 0 ? "" : ", ERRORS " + sample.errors())
                                + (sample.stalled() == 0 ? "" : ", stalled connections " + sample.stalled()));
            }
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                System.err.println(server.name() + " ignored SIGTERM for 20 s; killing it");
                p.destroyForcibly().waitFor();
            }
            reader.join(5000);
        }
        return failed;
    }

    private Sample runClient(String host, String port, Scenario s, long serverPid) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(javaExecutable(), "-jar", examplesJar.toString(), "echo-client",
                "--host", host, "--port", port,
                "--connections", Integer.toString(s.connections()), "--size", Integer.toString(s.size()),
                "--depth", Integer.toString(s.depth()),
                "--duration", Double.toString(duration), "--warmup", Double.toString(warmup),
                "--pollers", Integer.toString(clientPollers)));
        if (tls) {
            cmd.add("--tls");
        }
        Process p = new ProcessBuilder(cmd).start();
        // The client's progress lines mark its measured window: read the server's CPU time at both ends.
        Deque<String> errTail = new ArrayDeque<>();
        long[] serverCpu = {-1, -1};
        Thread err = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.equals("measuring")) {
                        serverCpu[0] = CpuTime.ofProcess(serverPid);
                    } else if (line.equals("measured")) {
                        serverCpu[1] = CpuTime.ofProcess(serverPid);
                    }
                    errTail.addLast(line);
                    if (errTail.size() > 15) {
                        errTail.removeFirst();
                    }
                }
            } catch (IOException e) {
                errTail.addLast("(reading the client's stderr failed: " + e + ")");
            }
        }, "echo-client-stderr");
        err.setDaemon(true);
        err.start();
        Map<String, String> result = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    result.put(line.substring(0, colon), line.substring(colon + 2).trim());
                }
            }
        }
        long limit = (long) (duration + warmup) + 120;
        if (!p.waitFor(limit, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        err.join(10_000); // its writes to errTail and serverCpu happen-before this returns
        int exit = p.exitValue();
        if (exit != 0 || !result.containsKey("messages_per_s")) {
            System.err.println("echo-client exited " + exit + "; its last lines:");
            errTail.forEach(l -> System.err.println("  " + l));
        }
        double mps = Double.parseDouble(result.getOrDefault("messages_per_s", "0"));
        double p50 = Double.parseDouble(result.getOrDefault("latency_p50_us", "NaN"));
        double p99 = Double.parseDouble(result.getOrDefault("latency_p99_us", "NaN"));
        long errors = Long.parseLong(result.getOrDefault("errors", "1"));
        long stalled = Long.parseLong(result.getOrDefault("stalled_connections", "0"));
        long messages = Long.parseLong(result.getOrDefault("messages", "0"));
        double cpuPerMessage = serverCpu[0] < 0 || serverCpu[1] < 0 || messages == 0 ? Double.NaN
                : (serverCpu[1] - serverCpu[0]) / 1000.0 / messages;
        return new Sample(mps, p50, p99, exit != 0 && errors == 0 ? 1 : errors, stalled, cpuPerMessage);
    }

    private void printTable(List<Scenario> scenarios, Map<String, List<Sample>> samples, double minutes) {
        var out = spec.commandLine().getOut();
        out.println("## Echo: Ripcord vs Netty");
        out.println();
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.get(0).equals(spec.name())) {
            args.remove(0);
        }
        out.println("- command: `java -jar " + benchmarksJar + " compare-echo " + String.join(" ", args) + "`");
        out.printf(Locale.ROOT, "- machine: %d cores shared by the load generator and the server; %s %s; %s %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.version"));
        out.printf(Locale.ROOT, "- load: Ripcord echo-client in its own JVM per run, %d pollers, warmup %.1f s, "
                + "measured %.1f s; every echoed byte checked%s%n", clientPollers, warmup, duration, tls
                ? "; **TLS** on every connection (the JDK's SSLEngine in the client and in every server; Netty "
                + "through its SslHandler; the bundled demo certificate, EC P-256)" : "");
        out.printf(Locale.ROOT, "- servers: each in its own process (JVMs with default flags%s; floor = the C "
                + "epoll echo server floor_server.c), started in turn %s in each of %d rounds; medians over the "
                + "rounds; total %.1f min%n",
                serverJvmArgs.isEmpty() ? "" : " + " + String.join(" ", serverJvmArgs),
                String.join(" ", serverNames), rounds, minutes);
        out.println();
        out.println("| scenario | server I/O threads | server | msgs/s (median) | msgs/s min..max "
                + "| p99 us (median) | msgs/s vs netty-epoll | server CPU us/msg (median) | CPU vs floor | errors "
                + "| stalled conns (sum) |");
        out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Scenario s : scenarios) {
            for (int t : threads) {
                List<Sample> epoll = samples.get(key(t, s, "netty-epoll"));
                double epollMedian = epoll == null ? Double.NaN : median(epoll, true);
                List<Sample> floor = samples.get(key(t, s, "floor"));
                double floorCpu = floor == null ? Double.NaN : cpuMedian(floor);
                for (String name : serverNames) {
                    List<Sample> list = samples.get(key(t, s, name));
                    if (list == null) {
                        continue;
                    }
                    double mps = median(list, true);
                    double min = list.stream().mapToDouble(Sample::messagesPerSecond).min().orElse(0);
                    double max = list.stream().mapToDouble(Sample::messagesPerSecond).max().orElse(0);
                    long errors = list.stream().mapToLong(Sample::errors).sum();
                    long stalled = list.stream().mapToLong(Sample::stalled).sum();
                    double cpu = cpuMedian(list);
                    out.printf(Locale.ROOT, "| %s | %d | %s | %,.0f | %,.0f..%,.0f | %.0f | %s | %s | %s | %d | %d |%n",
                            s.label(), t, name, mps, min, max, median(list, false),
                            Double.isNaN(epollMedian) ? "" : String.format(Locale.ROOT, "%.2f", mps / epollMedian),
                            Double.isNaN(cpu) ? "" : String.format(Locale.ROOT, "%.1f", cpu),
                            Double.isNaN(cpu) || Double.isNaN(floorCpu) ? ""
                                    : String.format(Locale.ROOT, "%.2f", cpu / floorCpu),
                            errors, stalled);
                }
            }
        }
        out.flush();
    }

    /** The median server CPU per message, NaN when no run could read it. */
    private static double cpuMedian(List<Sample> list) {
        double[] cpu = list.stream().mapToDouble(Sample::serverCpuMicrosPerMessage).filter(v -> !Double.isNaN(v))
                .sorted().toArray();
        return cpu.length == 0 ? Double.NaN : cpu[cpu.length / 2];
    }

    static double median(List<Sample> list, boolean throughput) {
        double[] v = list.stream().mapToDouble(throughput ? Sample::messagesPerSecond : Sample::p99Micros)
                .sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static String key(int t, Scenario s, String server) {
        return t + "/" + s.id() + "/" + server;
    }

    static Thread drain(InputStream in, Deque<String> tail, CompletableFuture<String> listening) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!listening.isDone() && line.startsWith("listening on ")) {
                        listening.complete(line.substring("listening on ".length()).trim());
                    }
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 30) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                listening.completeExceptionally(new IllegalStateException("the server's output ended"));
            }
        }, "server-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Path ownJar() {
        try {
            Path p = Path.of(CompareEchoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(p)) {
                return p;
            }
        } catch (URISyntaxException | SecurityException e) {
            // Fall through to the build's output path.
        }
        return Path.of("benchmarks/target/ripcord-benchmarks.jar");
    }

    static void requireFile(Path p, String option) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(p + " does not exist: build with `mvn -B -DskipTests package` "
                    + "from the repository root, or pass " + option);
        }
    }
}
