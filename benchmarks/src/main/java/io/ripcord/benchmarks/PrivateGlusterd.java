package io.ripcord.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A glusterd with its own volfile, port, state directory and CLI socket (never the system one), configured as
 * Debian starts it: every option of {@code /etc/glusterfs/glusterd.vol} (or, without that file, Debian's
 * defaults) except the four that make it private. That matters: without Debian's
 * {@code transport.socket.read-fail-log off}, glusterd writes a warning line for every connection a client
 * closes, which cost it about a quarter of its connect-call-close rate in an earlier run of this suite.
 */
final class PrivateGlusterd implements AutoCloseable {

    /** Debian 12's glusterfs-server /etc/glusterfs/glusterd.vol options, for a machine without the file. */
    private static final List<String> DEBIAN_DEFAULTS = List.of(
            "transport-type socket", "transport.socket.keepalive-time 10", "transport.socket.keepalive-interval 2",
            "transport.socket.read-fail-log off", "ping-timeout 0", "max-port  60999");
    private static final Set<String> OURS = Set.of("working-directory", "transport.socket.listen-port",
            "glusterd-sockfile", "event-threads");

    private final Process process;
    final int port;

    private PrivateGlusterd(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    long pid() {
        return process.pid();
    }

    /** Starts it with {@code eventThreads} event threads and waits (at most 30 s) until it answers a PING. */
    static PrivateGlusterd start(Path loadTool, int eventThreads) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("glusterd-bench");
        Files.createDirectories(dir.resolve("wd"));
        int port = 24017;
        List<String> lines = new ArrayList<>(List.of("volume management", "    type mgmt/glusterd"));
        for (String option : systemOptions()) {
            if (!OURS.contains(option.split("\\s+")[0])) {
                lines.add("    option " + option);
            }
        }
        lines.add("    option working-directory " + dir.resolve("wd"));
        lines.add("    option transport.socket.listen-port " + port);
        lines.add("    option glusterd-sockfile " + dir.resolve("glusterd.socket"));
        lines.add("    option event-threads " + eventThreads);
        lines.add("end-volume");
        Files.writeString(dir.resolve("glusterd.vol"), String.join("\n", lines) + "\n");
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
            if (RpcBench.run(loadTool, "pipe", "127.0.0.1", Integer.toString(port), "1", "1", "0.1")
                    .matches("(?s).* [1-9][0-9]* replies.*")) {
                return g;
            }
            Thread.sleep(200);
        }
        g.close();
        throw new IOException("glusterd did not answer within 30 s; see " + dir);
    }

    /** The {@code option} lines of the system's glusterd.vol, or Debian's defaults. */
    private static List<String> systemOptions() throws IOException {
        Path vol = Path.of("/etc/glusterfs/glusterd.vol");
        if (!Files.isReadable(vol)) {
            return DEBIAN_DEFAULTS;
        }
        List<String> options = new ArrayList<>();
        for (String l : Files.readAllLines(vol)) {
            String t = l.trim();
            if (t.startsWith("option ")) {
                options.add(t.substring("option ".length()).trim());
            }
        }
        return options;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
