package io.ripcord.rpc.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.transport.Listener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #6, two hosts: the client in its own network namespace, joined to this one by a veth pair, so the
 * calls cross a real (virtual) link instead of loopback. Needs root and {@code ip netns}; where a namespace
 * or the link cannot be made (no privilege, a sandbox without them), the test is skipped and says why.
 */
class TwoHostsTest {

    private static final int CALLS = 200;

    private final long pid = ProcessHandle.current().pid();
    private final String ns = "rpcrel" + pid;
    private final String hostSide = "rra" + (pid % 1_000_000);
    private final String nsSide = "rrb" + (pid % 1_000_000);
    private final String subnet = "10.213." + (pid % 250);
    private boolean nsCreated;
    private boolean linkCreated;

    @BeforeEach
    void createNamespace() throws Exception {
        nsCreated = ip("netns", "add", ns).isEmpty();
        Assumptions.assumeTrue(nsCreated, () -> "SKIPPED: cannot create a network namespace here (`ip netns add "
                + ns + "` failed: " + lastError + "); two-host behaviour is not tested on this machine");
        linkCreated = ip("link", "add", hostSide, "type", "veth", "peer", "name", nsSide).isEmpty();
        Assumptions.assumeTrue(linkCreated, () -> "SKIPPED: cannot create a veth pair here: " + lastError);
        require(ip("link", "set", nsSide, "netns", ns));
        require(ip("addr", "add", subnet + ".1/24", "dev", hostSide));
        require(ip("link", "set", hostSide, "up"));
        require(ip("netns", "exec", ns, "ip", "addr", "add", subnet + ".2/24", "dev", nsSide));
        require(ip("netns", "exec", ns, "ip", "link", "set", nsSide, "up"));
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        if (linkCreated) {
            ip("link", "del", hostSide);
        }
        if (nsCreated) {
            ip("netns", "del", ns);
        }
    }

    @Test
    void aClientInAnotherNamespaceIsServedAcrossAVethLink() throws Exception {
        try (ServiceFixture server = new ServiceFixture(2, ServiceFixture.limits(64 * 1024));
             Listener onLink = server.service.listen(server.pool,
                     new InetSocketAddress(InetAddress.getByName(subnet + ".1"), 0))) {
            int port = ((InetSocketAddress) onLink.address()).getPort();
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process p = new ProcessBuilder("ip", "netns", "exec", ns, java.toString(), "-cp",
                    System.getProperty("java.class.path"), NetnsClient.class.getName(), subnet + ".1",
                    Integer.toString(port), Integer.toString(CALLS)).redirectErrorStream(true).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the client in the namespace did not finish");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("ok " + CALLS), out);
            assertEquals(1, onLink.acceptedCount(), "connections accepted on the link");
        }
    }

    private String lastError = "";

    /** Runs {@code ip args}; returns "" on success, else what it printed. */
    private String ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            lastError = "no `ip` command: " + e.getMessage();
            return lastError;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            lastError = String.join(" ", cmd) + ": " + (out.isEmpty() ? "exit " + p.exitValue() : out);
            return lastError;
        }
        return "";
    }

    private void require(String error) {
        if (!error.isEmpty()) {
            throw new AssertionError("network namespace set-up failed: " + error);
        }
    }
}
