package io.ripcord.xdrgen;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * What tests tagged {@code external} need from the machine (rpcgen, gcc, libtirpc, Debian's
 * {@code /usr/include/rpcsvc}): missing under {@code CI=true} fails the test, elsewhere skips it with a message.
 * Always decided before the test does its work.
 */
final class External {

    static final Path RPCSVC = Path.of("/usr/include/rpcsvc");

    private External() {
    }

    static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(what + " is missing and CI=true (.ci/run installs it)");
        }
        Assumptions.abort(what + " is missing: skipped (apt-get install rpcsvc-proto libtirpc-dev gcc, or run .ci/run)");
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** The {@code .x} files Debian installs under {@code /usr/include/rpcsvc}, read from there (never copied). */
    static List<Path> rpcsvcFiles() {
        require(Files.isDirectory(RPCSVC) && xFiles().findAny().isPresent(), RPCSVC + "/*.x (Debian rpcsvc-proto)");
        return xFiles().sorted().toList();
    }

    private static Stream<Path> xFiles() {
        try {
            return Files.isDirectory(RPCSVC) ? Files.list(RPCSVC).filter(p -> p.toString().endsWith(".x")) : Stream.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file with the files it needs compiled beside it: nis_callback.x uses nis.x's types without including it. */
    static Path[] withCompanions(Path file) {
        if (file.getFileName().toString().equals("nis_callback.x")) {
            return new Path[] {file.resolveSibling("nis.x"), file};
        }
        return new Path[] {file};
    }

    /** {@code nfs_prot.x} to {@code rpcsvc.nfs_prot}. */
    static String packageFor(Path file) {
        String base = file.getFileName().toString().replace(".x", "");
        return "rpcsvc." + base;
    }
}
