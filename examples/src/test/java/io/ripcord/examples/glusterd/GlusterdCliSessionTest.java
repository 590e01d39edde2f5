package io.ripcord.examples.glusterd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unmodified {@code gluster} CLI against the endpoint, step by step through
 * {@code resources/glusterd/session.txt}; each step's exit code, stdout and stderr must equal what the real
 * glusterd 10.3 gave for the same step ({@code resources/glusterd/expected/}, made by {@code capture.sh}),
 * UUIDs, hostname and bricks directory normalized. {@code !restart} closes the endpoint and starts a new one
 * on the same state file, so the steps after it check persistence.
 *
 * <p>The CLI talks only to a temporary Unix socket (never /var/run/glusterd.socket); the read-only TCP
 * listener is on an ephemeral loopback port (the CLI's {@code --remote-host} can only use 24007, so
 * {@link GlusterdTcpTest} covers TCP with raw RPC).
 */
@Tag("external")
class GlusterdCliSessionTest {

    @TempDir
    static Path dir;

    private static GlusterCli cli;
    private static Path socket;
    private static Path bricks;
    private static Path stateFile;
    private static GlusterdEndpoint endpoint;

    @BeforeAll
    static void start() throws Exception {
        cli = GlusterCli.findOrSkip();
        socket = dir.resolve("glusterd.socket");
        bricks = Files.createDirectories(dir.resolve("bricks"));
        stateFile = dir.resolve("state/glusterd.state");
        endpoint = startEndpoint();
    }

    private static GlusterdEndpoint startEndpoint() throws Exception {
        return GlusterdEndpoint.start(socket, new InetSocketAddress("127.0.0.1", 0), stateFile);
    }

    @AfterAll
    static void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @TestFactory
    List<DynamicTest> sessionMatchesTheRealGlusterd() throws Exception {
        List<DynamicTest> steps = new ArrayList<>();
        for (String line : GlusterCli.lines("session.txt")) {
            String[] parts = line.split(" ", 2);
            String name = parts[0];
            if (name.equals("!restart")) {
                steps.add(DynamicTest.dynamicTest("restart on the same state file", () -> {
                    endpoint.close();
                    endpoint = startEndpoint();
                }));
                continue;
            }
            steps.add(DynamicTest.dynamicTest(name + ": gluster " + parts[1], () ->
                    assertEquals(GlusterCli.expected(name), cli.run(socket, bricks, cli.arguments(parts[1], bricks)))));
        }
        return steps;
    }

    /**
     * Operations the endpoint does not implement get PROC_UNAVAIL, the reply a real glusterd gives to a write
     * on its read-only TCP program (captured so: see {@code unsupported.txt}); the CLI exits 1 at once,
     * printing nothing.
     */
    @TestFactory
    List<DynamicTest> unsupportedOperationsGetTheRealGlusterdsErrorReply() throws Exception {
        List<DynamicTest> steps = new ArrayList<>();
        for (String line : GlusterCli.lines("unsupported.txt")) {
            String[] parts = line.split(" ", 2);
            steps.add(DynamicTest.dynamicTest(parts[0] + ": gluster " + parts[1], () ->
                    assertEquals(GlusterCli.expected(parts[0]), cli.run(socket, bricks, cli.arguments(parts[1], bricks)))));
        }
        // A real glusterd serves status even on its read-only TCP program, so there is no capture of it failing;
        // the endpoint answers PROC_UNAVAIL and the CLI must behave as for the other operations it is refused.
        for (String args : List.of("volume status", "volume status uv1")) {
            steps.add(DynamicTest.dynamicTest("unsupported: gluster " + args, () ->
                    assertEquals(GlusterCli.expected("unsupported-volume-set"),
                            cli.run(socket, bricks, Arrays.asList(args.split(" "))))));
        }
        return steps;
    }
}
