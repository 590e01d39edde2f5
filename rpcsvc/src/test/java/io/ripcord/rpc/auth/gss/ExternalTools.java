package io.ripcord.rpc.auth.gss;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** The CI rule for tests that need programs from outside: fail under {@code CI=true}, skip elsewhere. */
final class ExternalTools {

    private ExternalTools() {
    }

    /** Fails the test under {@code CI=true} (where .ci/run provides everything) and skips it elsewhere. */
    static void unavailable(String why) {
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(why + "; .ci/run must provide it");
        }
        Assumptions.abort(why + "; skipping");
    }

    /** A program on the PATH or in /usr/sbin (where Debian puts the KDC's, off a non-root PATH). */
    static Optional<Path> find(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.add("/usr/sbin");
        dirs.add("/sbin");
        for (String dir : dirs) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** The programs, or the test is failed or skipped naming the missing ones and the packages that have them. */
    static List<Path> require(String packages, String... names) {
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            find(name).ifPresentOrElse(found::add, () -> missing.add(name));
        }
        if (!missing.isEmpty()) {
            unavailable("not installed: " + String.join(", ", missing) + " (Debian packages " + packages + ")");
        }
        return found;
    }
}
