package io.ripcord.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Guards for tests that need something outside the JVM: a program (rpcinfo, rpcgen, gcc, gluster, krb5kdc) or
 * a running service (rpcbind). Each guard runs before the test does its work and decides from a probe, never
 * from an error message afterwards. When the thing is missing the test is skipped with a message saying what
 * is missing and how to get it; under {@code CI=true} it fails instead, because {@code .ci/run} must provide
 * everything the suite uses.
 *
 * <p>Tests that use a guard carry {@code @Tag("external")}: {@code .ci/run} runs the suite once more with the
 * programs hidden and no network, and checks that each of them was skipped, not failed and not passed.
 */
public final class External {

    /** Where system programs live beside the {@code PATH} (root's sbin directories are not on every PATH). */
    private static final List<String> SBIN = List.of("/usr/sbin", "/sbin", "/usr/local/sbin");

    private External() {
    }

    /** Whether this is a CI run ({@code CI=true}), where a missing tool is a failure. */
    public static boolean inCi() {
        return "true".equals(System.getenv("CI"));
    }

    /**
     * Skips (fails under CI) unless {@code present}.
     *
     * @param what       what the test needs, e.g. "a running rpcbind on 127.0.0.1:111"
     * @param howToGetIt what a developer does about it, e.g. "apt-get install rpcbind, then `rpcbind -w`"
     */
    public static void require(boolean present, String what, String howToGetIt) {
        if (!present) {
            unavailable(what + " is not available here (" + howToGetIt + ")");
        }
    }

    /**
     * Skips the test (fails it under CI) for {@code reason}, a whole sentence saying what is missing and how to
     * get it: for guards whose probe found more than "present or not".
     */
    public static void unavailable(String reason) {
        if (inCi()) {
            throw new AssertionError("under CI=true, .ci/run must provide what this test needs: " + reason);
        }
        Assumptions.abort(reason);
    }

    /** The program {@code name} on the PATH or in an sbin directory, if it is there and executable. */
    public static Optional<Path> findExecutable(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(SBIN);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            // A regular file: a path covered by a device (how .ci/run hides programs) is not a program.
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The program {@code name}, or the test is skipped (failed under CI).
     *
     * @param debianPackage the Debian package that installs it, for the message
     */
    public static Path requireExecutable(String name, String debianPackage) {
        Optional<Path> p = findExecutable(name);
        require(p.isPresent(), "the program `" + name + "`", "apt-get install " + debianPackage);
        return p.orElseThrow();
    }

    /**
     * Several programs, or the test is skipped (failed under CI) naming every missing one.
     *
     * @param debianPackages the Debian packages that install them, for the message
     */
    public static List<Path> requireExecutables(String debianPackages, String... names) {
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            findExecutable(name).ifPresentOrElse(found::add, () -> missing.add(name));
        }
        require(missing.isEmpty(), "the programs " + missing, "apt-get install " + debianPackages);
        return found;
    }

    /** Whether something accepts TCP connections at {@code address} within a second. */
    public static boolean acceptsTcp(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A running rpcbind (the system's portmapper, program 100000) on 127.0.0.1:111 with its local socket
     * {@code /run/rpcbind.sock}, or the test is skipped (failed under CI, where .ci/run starts it).
     */
    public static void requireRpcbind() {
        String how = "apt-get install rpcbind, then start it as root: `rpcbind -w`";
        requireTcpService(new InetSocketAddress("127.0.0.1", 111), "rpcbind", how);
        require(Files.exists(Path.of("/run/rpcbind.sock")) || Files.exists(Path.of("/var/run/rpcbind.sock")),
                "rpcbind's local socket /run/rpcbind.sock", how);
    }

    /** The service at {@code address} accepts TCP connections, or the test is skipped (failed under CI). */
    public static void requireTcpService(InetSocketAddress address, String service, String howToStartIt) {
        require(acceptsTcp(address), "a running " + service + " at " + address.getAddress().getHostAddress() + ":"
                + address.getPort(), howToStartIt);
    }
}
