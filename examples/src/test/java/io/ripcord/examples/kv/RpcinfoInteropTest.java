package io.ripcord.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.testsupport.External;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real {@code rpcinfo} (Debian's rpcbind package) against the KV server: version discovery through
 * PROG_MISMATCH and a NULL call to each version, over TCP and UDP; and {@code rpcinfo -p} showing what
 * {@code --rpcbind} registered. Under CI=true a missing rpcinfo or rpcbind fails the test.
 */
@Tag("external")
class RpcinfoInteropTest {

    /** Debian's rpcinfo, or the test is skipped (failed under CI=true). */
    static String rpcinfo() {
        return External.requireExecutable("rpcinfo", "rpcbind").toString();
    }

    /** Runs a command, returns its exit code followed by its stdout lines. */
    static List<String> run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        List<String> out = new ArrayList<>();
        out.add(String.valueOf(p.exitValue()));
        for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        return out;
    }

    static String uaddr(InetSocketAddress a) {
        int port = a.getPort();
        return a.getAddress().getHostAddress() + "." + (port >> 8) + "." + (port & 0xff);
    }

    @Test
    void rpcinfoDiscoversBothVersionsOverTcpAndUdp() throws Exception {
        String rpcinfo = rpcinfo();
        try (KvServer server = KvServer.start("127.0.0.1", 0, 1, false)) {
            for (String proto : new String[] {"tcp", "udp"}) {
                List<String> out = run(rpcinfo, "-a", uaddr(server.tcpAddress()), "-T", proto, "536873739");
                assertEquals(List.of("0", "program 536873739 version 1 ready and waiting",
                        "program 536873739 version 2 ready and waiting"), out, proto);
            }
            List<String> out = run(rpcinfo, "-a", uaddr(server.tcpAddress()), "-T", "tcp", "536873739", "7");
            assertEquals("1", out.get(0));
            assertTrue(String.join("\n", out).contains("low version = 1, high version = 2"), String.valueOf(out));
            out = run(rpcinfo, "-a", uaddr(server.tcpAddress()), "-T", "tcp", "123451501");
            assertEquals(List.of("0", "program 123451501 version 1 ready and waiting"), out, "GF-DUMP");
        }
    }

    @Test
    void rpcinfoListsWhatTheServerRegisteredWithRpcbind() throws Exception {
        String rpcinfo = rpcinfo();
        External.requireRpcbind();
        int port;
        try (KvServer server = KvServer.start("127.0.0.1", 0, 1, true)) {
            port = server.tcpAddress().getPort();
            List<String> out = run(rpcinfo, "-p", "127.0.0.1");
            for (String v : new String[] {"1", "2"}) {
                for (String proto : new String[] {"tcp", "udp"}) {
                    String want = "536873739 " + v + " " + proto + " " + port;
                    assertTrue(out.stream().anyMatch(l -> l.replaceAll("\\s+", " ").startsWith(want)),
                            want + " in " + out);
                }
            }
        }
        List<String> after = run(rpcinfo, "-p", "127.0.0.1");
        assertTrue(after.stream().noneMatch(l -> l.replaceAll("\\s+", " ").endsWith(" " + port)),
                "unregistered at close: " + after);
    }
}
