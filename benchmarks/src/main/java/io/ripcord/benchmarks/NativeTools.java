package io.ripcord.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The C programs of {@code benchmarks/src/main/c}, built with {@code gcc -O2} into a temporary directory the
 * first time one is asked for: {@link #LOAD} (the ONC RPC load generator) and {@link #FLOOR} (the minimal
 * epoll server every figure is also compared with). Used from the orchestrating thread only.
 */
final class NativeTools {

    /** {@code gfping_bench.c}: pipelined and connect-call-close ONC RPC load. */
    static final String LOAD = "gfping_bench";
    /** {@code floor_server.c}: the one-thread (or one-thread-per-listener) C epoll RPC and echo server. */
    static final String FLOOR = "floor_server";

    private final Path sourceRoot;
    private final Map<String, Path> built = new HashMap<>();
    private final Map<String, String> problems = new HashMap<>();
    private Path dir;

    NativeTools(Path sourceRoot) {
        this.sourceRoot = sourceRoot;
    }

    /** The program {@code name}, built now if it was not yet; null when it cannot be, and {@link #why} says why. */
    Path get(String name) throws IOException, InterruptedException {
        if (built.containsKey(name) || problems.containsKey(name)) {
            return built.get(name);
        }
        Path source = sourceRoot.resolve("benchmarks/src/main/c/" + name + ".c");
        if (!Files.isRegularFile(source)) {
            problems.put(name, source + " not found (run from the repository root or pass --source-root)");
            return null;
        }
        if (!onPath("gcc")) {
            problems.put(name, "gcc is not installed (apt-get install gcc)");
            return null;
        }
        if (dir == null) {
            dir = Files.createTempDirectory("ripcord-bench-c");
        }
        Path bin = dir.resolve(name);
        Process p = new ProcessBuilder("gcc", "-O2", "-pthread", "-o", bin.toString(), source.toString())
                .inheritIO().start();
        if (p.waitFor() != 0) {
            problems.put(name, "gcc failed on " + source);
            return null;
        }
        built.put(name, bin);
        return bin;
    }

    /** Why {@link #get} gave null for {@code name}. */
    String why(String name) {
        return problems.getOrDefault(name, "not built");
    }

    /** Whether {@code program} is on the PATH or in /usr/sbin. */
    static boolean onPath(String program) {
        return find(program) != null;
    }

    /**
     * {@code program} on the PATH or in /usr/sbin, or null. A regular file only: {@code .ci/check-guards} hides
     * programs by covering them with a device.
     */
    static Path find(String program) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")));
        dirs.add("/usr/sbin");
        for (String d : dirs) {
            Path p = d.isEmpty() ? null : Path.of(d, program);
            if (p != null && Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
