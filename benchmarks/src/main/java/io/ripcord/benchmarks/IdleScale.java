package io.ripcord.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Idle connections: the server's heap (after a full GC, from {@code jcmd GC.heap_info} with the serial
 * collector) and RSS ({@code /proc/<pid>/status}) per connection, and the accept rate, for Ripcord's
 * echo-server and Netty's epoll echo server (1 I/O thread each). The connections come from this JVM; the
 * server is another process, so each stays under the per-process descriptor limit.
 */
final class IdleScale {

    static final String SECTION = "idle";
    /** A line of {@code jcmd GC.class_histogram}: rank, instances, bytes, class. */
    private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    /** Classes listed per server, by bytes added per connection. */
    private static final int TOP_CLASSES = 24;

    private final AllCommand.Config config;
    private final Results results;
    private final Progress progress;

    IdleScale(AllCommand.Config config, Results results, Progress progress) {
        this.config = config;
        this.results = results;
        this.progress = progress;
    }

    static int plannedSteps(AllCommand.Config c) {
        return c.idleRounds() * 2;
    }

    void run() throws Exception {
        int n = config.idleConnections();
        results.note(SECTION, String.format(Locale.ROOT, "%,d idle TCP connections opened one after another from the "
                + "orchestrating JVM; server JVM flags `-XX:+UseSerialGC -Xmx512m`, 1 I/O thread. Heap = the live "
                + "objects' bytes in `jcmd <pid> GC.class_histogram` (a full collection first, so garbage does not "
                + "count), minus the same before connecting but after " + WARM_UP_CONNECTIONS + " connections were "
                + "opened and closed (so what a server creates once, on its first connections, is not counted per "
                + "connection); RSS = VmRSS delta. Accept rate = connections / time until the server process holds "
                + "them all (its /proc/<pid>/fd count).", n));
        if (!NativeTools.onPath("jcmd") && !Files.isExecutable(jcmd())) {
            results.note(SECTION, "skipped: jcmd not found next to java");
            progress.skip(plannedSteps(config));
            return;
        }
        for (int round = 1; round <= config.idleRounds(); round++) {
            progress.step("idle round " + round + " ripcord, " + n + " connections");
            measure("ripcord", round, n, List.of(config.examplesJar().toString(), "echo-server", "--port", "0",
                    "--pollers", "1"));
            progress.step("idle round " + round + " netty-epoll, " + n + " connections");
            measure("netty-epoll", round, n, List.of(config.benchmarksJar().toString(), "netty-echo-server",
                    "--port", "0", "--transport", "epoll", "--threads", "1"));
        }
    }

    private void measure(String server, int round, int n, List<String> args) throws Exception {
        List<SocketChannel> clients = new ArrayList<>(n);
        try (ServerProcess s = ServerProcess.start(server, List.of("-XX:+UseSerialGC", "-Xmx512m"), args)) {
            long pid = s.pid();
            Thread.sleep(300);
            InetSocketAddress a = s.address();
            warmUp(pid, a);
            Map<String, Long> histogram0 = histogram(pid);
            long rss0 = rssKiB(pid);
            int fd0 = fdCount(pid);
            long t0 = System.nanoTime();
            long errors = 0;
            for (int i = 0; i < n; i++) {
                try {
                    clients.add(SocketChannel.open(a));
                } catch (IOException e) {
                    errors++;
                }
            }
            int opened = clients.size();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (fdCount(pid) < fd0 + opened && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            int held = fdCount(pid) - fd0;
            if (held < opened) {
                errors += opened - held;
            }
            Map<String, Long> histogram1 = histogram(pid);
            long rss1 = rssKiB(pid);
            double perConnHeap = (histogram1.get(TOTAL) - histogram0.get(TOTAL)) / (double) Math.max(1, opened);
            if (round == 1) {
                results.note(SECTION, server + ", round 1, heap per connection by class: "
                        + topClasses(histogram0, histogram1, opened));
            }
            double perConnRss = (rss1 - rss0) * 1024.0 / Math.max(1, opened);
            String scenario = String.format(Locale.ROOT, "%,d idle connections", n);
            results.add(new Results.Sample(SECTION, scenario, 1, server, round, "heap per conn", "B", perConnHeap,
                    Double.NaN, Double.NaN, errors));
            results.add(new Results.Sample(SECTION, scenario, 1, server, round, "RSS per conn", "B", perConnRss,
                    Double.NaN, Double.NaN, errors));
            results.add(new Results.Sample(SECTION, scenario, 1, server, round, "accept rate", "conn/s",
                    opened / seconds, Double.NaN, Double.NaN, errors));
        } finally {
            for (SocketChannel c : clients) {
                c.close();
            }
        }
    }

    /** Connections opened and closed before the baseline: what a server creates once, on its first ones. */
    static final int WARM_UP_CONNECTIONS = 200;

    /**
     * Opens {@link #WARM_UP_CONNECTIONS} connections, waits until the server holds them, closes them and waits
     * until it has closed its ends: the classes, JFR event metadata and strings a server creates on its first
     * connections are then in the baseline, not divided among the measured connections (at 1,000 connections they
     * were a third of Ripcord's figure).
     */
    private static void warmUp(long pid, InetSocketAddress a) throws IOException, InterruptedException {
        int fd0 = fdCount(pid);
        List<SocketChannel> warm = new ArrayList<>(WARM_UP_CONNECTIONS);
        try {
            for (int i = 0; i < WARM_UP_CONNECTIONS; i++) {
                warm.add(SocketChannel.open(a));
            }
            waitForFds(pid, fd0 + warm.size());
        } finally {
            for (SocketChannel c : warm) {
                c.close();
            }
        }
        waitForFds(pid, fd0);
    }

    /** Waits (at most 60 s) until the server process holds {@code count} descriptors. */
    private static void waitForFds(long pid, int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (fdCount(pid) != count && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
    }

    private static Path jcmd() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }

    private static final String TOTAL = "(total)";

    /** Live bytes per class after a full collection, and their sum under {@link #TOTAL}. */
    private static Map<String, Long> histogram(long pid) throws IOException, InterruptedException {
        String out = jcmdRun(pid, "GC.class_histogram");
        Map<String, Long> bytes = new HashMap<>();
        long total = 0;
        for (String line : out.split("\n")) {
            Matcher m = HISTOGRAM_LINE.matcher(line);
            if (m.find()) {
                long b = Long.parseLong(m.group(2));
                bytes.merge(m.group(3), b, Long::sum);
                total += b;
            }
        }
        if (total == 0) {
            throw new IOException("no class lines in jcmd GC.class_histogram: " + out);
        }
        bytes.put(TOTAL, total);
        return bytes;
    }

    /** The classes that grew by at least 4 B per connection, as "class bytes-per-connection", largest first. */
    private static String topClasses(Map<String, Long> before, Map<String, Long> after, int connections) {
        return after.entrySet().stream()
                .filter(e -> !e.getKey().equals(TOTAL))
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() >= 4L * Math.max(1, connections))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(TOP_CLASSES)
                .map(e -> String.format(Locale.ROOT, "`%s` %.0f", e.getKey(),
                        e.getValue() / (double) Math.max(1, connections)))
                .collect(Collectors.joining(", "));
    }

    private static String jcmdRun(long pid, String command) throws IOException, InterruptedException {
        Path exe = jcmd();
        Process p = new ProcessBuilder(Files.isExecutable(exe) ? exe.toString() : "jcmd", Long.toString(pid), command)
                .redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private static long rssKiB(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D+", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    private static int fdCount(long pid) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> d = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
            for (Path ignored : d) {
                n++;
            }
        }
        return n;
    }
}
