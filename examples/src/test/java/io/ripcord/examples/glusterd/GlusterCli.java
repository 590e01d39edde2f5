package io.ripcord.examples.glusterd;

import static org.junit.jupiter.api.Assertions.fail;

import io.ripcord.testsupport.External;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs the real {@code gluster} CLI against a socket path and renders the result the way
 * {@code src/test/resources/glusterd/capture.sh} renders the real glusterd's: exit code, stdout, stderr, with
 * UUIDs, the hostname and the bricks directory normalized.
 */
final class GlusterCli {

    /** How long one CLI run may take before the test calls it hung (real ones take about 0.1 s). */
    static final long TIMEOUT_SECONDS = 60;

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final String executable;
    private final String hostname;

    private GlusterCli(String executable, String hostname) {
        this.executable = executable;
        this.hostname = hostname;
    }

    /** The CLI, or the test is skipped (failed when {@code CI=true}: {@code .ci/run} installs glusterfs-cli). */
    static GlusterCli findOrSkip() throws IOException {
        String exe = External.requireExecutable("gluster", "glusterfs-cli").toString();
        return new GlusterCli(exe, machineHostname());
    }

    /** What {@code hostname} prints: the CLI refuses loopback names for bricks, so bricks use this one. */
    private static String machineHostname() throws IOException {
        Path kernel = Path.of("/proc/sys/kernel/hostname");
        if (Files.isReadable(kernel)) {
            return Files.readString(kernel).trim();
        }
        return InetAddress.getLocalHost().getHostName();
    }

    /** Replaces {@code @HOST@} and {@code @BRICKS@} in a session line's arguments. */
    List<String> arguments(String line, Path bricks) {
        List<String> out = new ArrayList<>();
        for (String a : line.trim().split(" +")) {
            out.add(a.replace("@HOST@", hostname).replace("@BRICKS@", bricks.toString()));
        }
        return out;
    }

    /** Runs {@code gluster --glusterd-sock=SOCKET ARGS} with stdin from /dev/null; returns the rendering. */
    String run(Path socket, Path bricks, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable);
        cmd.add("--glusterd-sock=" + socket);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("gluster " + String.join(" ", args) + " did not exit within " + TIMEOUT_SECONDS + " s");
        }
        return "--- exit code: " + p.exitValue() + "\n--- stdout:\n" + normalize(out.get(), bricks)
                + "--- stderr:\n" + normalize(err.get(), bricks);
    }

    private String normalize(String s, Path bricks) {
        return UUID.matcher(s).replaceAll("<UUID>").replace(hostname + ":", "HOST:")
                .replace(bricks.toString(), "BRICKS");
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A transcript captured from the real glusterd, as {@code capture.sh} wrote it. */
    static String expected(String name) throws IOException {
        try (InputStream in = GlusterCli.class.getResourceAsStream("/glusterd/expected/" + name + ".txt")) {
            if (in == null) {
                throw new IOException("no transcript glusterd/expected/" + name + ".txt");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The non-comment lines of a resource under {@code /glusterd/}. */
    static List<String> lines(String resource) throws IOException {
        try (InputStream in = GlusterCli.class.getResourceAsStream("/glusterd/" + resource)) {
            if (in == null) {
                throw new IOException("no resource glusterd/" + resource);
            }
            List<String> out = new ArrayList<>();
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.isBlank() && !l.startsWith("#")) {
                    out.add(l.trim());
                }
            }
            return out;
        }
    }
}
