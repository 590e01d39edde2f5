package io.ripcord.rpc.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcClientOptions;
import io.ripcord.rpc.client.RpcDisconnectedException;
import io.ripcord.rpc.client.RpcTimeoutException;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.Listener;
import io.ripcord.transport.ReconnectPolicy;
import io.ripcord.testsupport.External;
import io.ripcord.transport.TransportOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue #6, two hosts: the client in its own network namespace, joined to this one by a veth pair, so the
 * calls cross a real (virtual) link instead of loopback. It changes the host, so it runs only with
 * {@code -Phost-tests} (on by itself under CI=true). Needs root and {@code ip netns}; where a namespace or the
 * link cannot be made (no privilege, a sandbox without them), it is skipped and says why (fails under CI).
 */
@Tag("host")
class TwoHostsTest {

    private static final Logger log = LoggerFactory.getLogger(TwoHostsTest.class);
    private static final int CALLS = 200;
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    /** The link-down case's held calls. */
    private static final int HELD = 5;

    private final long pid = ProcessHandle.current().pid();
    private final String ns = "rpcrel" + pid;
    private final String hostSide = "rra" + (pid % 1_000_000);
    private final String nsSide = "rrb" + (pid % 1_000_000);
    private final String subnet = "10.213." + (pid % 250);
    private boolean nsCreated;
    private boolean linkCreated;

    @BeforeEach
    void createNamespace() throws Exception {
        External.requireExecutable("ip", "iproute2");
        nsCreated = ip("netns", "add", ns).isEmpty();
        External.require(nsCreated, "a network namespace (`ip netns add " + ns + "` failed: " + lastError + ")",
                "run as root on a kernel that allows network namespaces");
        linkCreated = ip("link", "add", hostSide, "type", "veth", "peer", "name", nsSide).isEmpty();
        External.require(linkCreated, "a veth pair (" + lastError + ")",
                "run as root on a kernel that allows veth links");
        require(ip("link", "set", nsSide, "netns", ns));
        require(ip("addr", "add", subnet + ".1/24", "dev", hostSide));
        require(ip("link", "set", hostSide, "up"));
        require(ip("netns", "exec", ns, "ip", "addr", "add", subnet + ".2/24", "dev", nsSide));
        require(ip("netns", "exec", ns, "ip", "link", "set", nsSide, "up"));
        require(ip("netns", "exec", ns, "ip", "link", "set", "lo", "up"));
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
                    ChildJvm.classPath(), NetnsClient.class.getName(), subnet + ".1",
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

    @Test
    void aConnectToASilentAddressOnTheLinkTimesOutAsConfigured() throws Exception {
        // An address on the link that nobody owns, with a neighbour entry for a MAC nobody has: the SYNs cross
        // the veth and vanish, with no RST and no ICMP, as with a host that is gone.
        String silent = subnet + ".99";
        require(ip("neigh", "add", silent, "lladdr", "02:00:00:00:00:99", "dev", hostSide, "nud", "permanent"));
        EventPool pool = clientPool();
        try {
            RpcClientOptions options = RpcClientOptions.builder()
                    .transportOptions(TransportOptions.builder().tcpNoDelay(true).connectTimeout(CONNECT_TIMEOUT)
                            .build())
                    .build();
            long t0 = System.nanoTime();
            CompletableFuture<RpcClient> f = RpcClient.connect(pool, new InetSocketAddress(silent, 111), options);
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            log.info("two hosts: connect to silent {} failed after {} ms (timeout {} ms): {}", silent, ms,
                    CONNECT_TIMEOUT.toMillis(), e.getCause().toString());
            assertTrue(String.valueOf(e.getCause().getMessage()).contains("timed out"), e.getCause().toString());
            assertTrue(ms >= CONNECT_TIMEOUT.toMillis() && ms < 10_000, "failed after " + ms + " ms");
        } finally {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void theLinkGoingDownFailsHeldCallsOnceAndTheClientReconnectsWhenItComesBack() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process server = new ProcessBuilder("ip", "netns", "exec", ns, java.toString(), "-cp",
                ChildJvm.classPath(), NetnsServer.class.getName(), subnet + ".2")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        EventPool pool = clientPool();
        RpcClient client = null;
        BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(),
                StandardCharsets.UTF_8));
        try {
            String first = CompletableFuture.supplyAsync(() -> lineStarting(serverOut, "listening ")).get(60, TimeUnit.SECONDS);
            assertTrue(first != null && first.startsWith("listening "), "the server in the namespace said " + first);
            InetSocketAddress address = new InetSocketAddress(subnet + ".2",
                    Integer.parseInt(first.substring("listening ".length())));
            RpcClientOptions options = RpcClientOptions.builder()
                    .transportOptions(TransportOptions.builder().tcpNoDelay(true).connectTimeout(CONNECT_TIMEOUT)
                            .build())
                    .ping(Duration.ofMillis(250), Duration.ofSeconds(3))
                    .reconnectPolicy(ReconnectPolicy.exponential(Duration.ofMillis(100), Duration.ofMillis(500),
                            2.0, 0.2, 0))
                    .build();
            client = RpcClient.connect(pool, address, options).get(30, TimeUnit.SECONDS);

            AtomicInteger completions = new AtomicInteger();
            List<CompletableFuture<Void>> held = new ArrayList<>();
            for (int i = 0; i < HELD; i++) {
                CompletableFuture<Void> f = client.call(ServiceFixture.PROG, ServiceFixture.VERS,
                        ServiceFixture.HOLD, RpcActor.IGNORED);
                f.whenComplete((r, e) -> completions.incrementAndGet());
                held.add(f);
            }
            // Replies come in order on one connection: once INC is answered, the server holds every HOLD.
            assertEquals(8, (int) incCall(client, 7));
            assertEquals(0, completions.get(), "a held call completed while the link was up");

            require(ip("netns", "exec", ns, "ip", "link", "set", nsSide, "down"));
            long down = System.nanoTime();
            for (CompletableFuture<Void> f : held) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof RpcDisconnectedException
                        || e.getCause() instanceof RpcTimeoutException, e.getCause().toString());
            }
            long failedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down);
            log.info("two hosts: link down; {} held calls failed after {} ms: {}", HELD, failedMs,
                    held.get(0).handle((r, e) -> String.valueOf(e)).join());
            assertEquals(HELD, completions.get(), "completions of the held calls");
            assertEquals(0, client.outstandingCalls(), "calls left outstanding");

            require(ip("netns", "exec", ns, "ip", "link", "set", nsSide, "up"));
            long up = System.nanoTime();
            RpcClient c = client;
            await().atMost(Duration.ofSeconds(30)).until(c::isConnected);
            assertEquals(42, (int) incCall(client, 41));
            log.info("two hosts: link up; reconnected and served after {} ms",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - up));
            assertEquals(HELD, completions.get(), "a held call completed twice");
        } finally {
            if (client != null) {
                client.close();
            }
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
            server.getOutputStream().close();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        String last = lineStarting(serverOut, "accepted ");
        assertEquals(0, server.exitValue(), "exit status of the server in the namespace");
        assertTrue(last != null, "the server in the namespace did not report its connections");
        assertTrue(Integer.parseInt(last.substring("accepted ".length()).trim()) >= 2,
                "the server saw no second connection: " + last);
    }

    private static EventPool clientPool() {
        return EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("two-hosts").build()).start();
    }

    private static Integer incCall(RpcClient client, int value) throws Exception {
        return client.call(ServiceFixture.PROG, ServiceFixture.VERS, ServiceFixture.INC, XdrEncoder::writeInt,
                value, XdrDecoder::readInt).get(30, TimeUnit.SECONDS);
    }

    /** The first line that starts with {@code prefix}, or null at the end of the stream. */
    private static String lineStarting(BufferedReader in, String prefix) {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            return null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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
