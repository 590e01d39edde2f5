package io.ripcord.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.examples.echo.EchoServer;
import io.ripcord.examples.kv.KvServer;
import io.ripcord.rpc.GfDump;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.xdr.XdrReader;
import io.ripcord.testsupport.External;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The example servers' statedump: its text, and {@code SIGUSR1} to a real server in a child JVM. */
class StatedumpTest {

    /** GF-DUMP PING's result: op_ret, op_errno and an empty xdata. */
    private static final XdrReader<Void> PING_RESULT = d -> {
        d.readInt();
        d.readInt();
        d.readOpaque(0);
        return null;
    };
    private static final Pattern LISTENING = Pattern.compile("listening on /127\\.0\\.0\\.1:(\\d+).*");

    @Test
    void theRpcServersDumpHasThePoolTheProgramsTheirCountsAndTheConnections() throws Exception {
        try (KvServer server = KvServer.start("127.0.0.1", 0, 1, false);
             EventPool clients = EventPool.create().start()) {
            RpcClient client = RpcClient.connect(clients, server.tcpAddress()).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                client.callSync(GfDump.PROGRAM, GfDump.VERSION, GfDump.PING, PING_RESULT);
            }
            StringWriter printed = new StringWriter();
            String text = awaitDump(Statedump.of(server::dumpState, new PrintWriter(printed)),
                    "      2 PING: calls 3, in flight 0, SUCCESS 3, latency mean ");
            assertTrue(text.startsWith(Statedump.BEGIN + "\ntime "), text);
            assertTrue(text.endsWith(Statedump.END + "\n"), text);
            assertTrue(text.contains("  poller 0 ("), text);
            assertTrue(text.contains("RpcService: outstanding limit 64 per connection"), text);
            assertTrue(text.contains("    KV (536873739 v1): calls 0, in flight 0\n"), text);
            assertTrue(text.contains("    GF-DUMP (123451501 v1): calls 3, in flight 0\n"), text);
            assertTrue(text.contains("]: outstanding calls 0\n"), text);
            client.close();
        }
    }

    /** The counts are made right after each reply is handed over: ask again until the last one is in. */
    private static String awaitDump(Statedump dump, String expected) {
        return await().atMost(Duration.ofSeconds(10)).until(dump::text, text -> text.contains(expected));
    }

    @Test
    @Tag("external")
    void sigusr1MakesTheRpcServerPrintItsStatedump() throws Exception {
        Path kill = External.requireExecutable("kill", "procps");
        Process server = startChild("rpc-server", "--port", "0", "--pollers", "1");
        try (BufferedReader out = reader(server)) {
            int port = awaitListening(out);
            try (EventPool clients = EventPool.create().start()) {
                RpcClient client = RpcClient.connect(clients, new InetSocketAddress("127.0.0.1", port))
                        .get(10, TimeUnit.SECONDS);
                for (int i = 0; i < 4; i++) {
                    client.callSync(GfDump.PROGRAM, GfDump.VERSION, GfDump.PING, PING_RESULT);
                }
                String dump = signalAndRead(kill, server, out);
                assertTrue(dump.contains("EventPool"), dump);
                assertTrue(dump.contains("  poller 0 ("), dump);
                assertTrue(dump.contains("  serving on stream /127.0.0.1:" + port + ": accepted 1, refused 0, open 1"),
                        dump);
                assertTrue(dump.contains("  serving on datagram /127.0.0.1:" + port), dump);
                assertTrue(dump.contains("    GF-DUMP (123451501 v1): calls 4, in flight 0"), dump);
                assertTrue(dump.contains("      2 PING: calls 4, in flight 0, SUCCESS 4, latency mean "), dump);
                assertTrue(dump.contains("]: outstanding calls 0"), dump);
                client.close();
            }
            // A second signal makes a second dump: the handler stays.
            assertTrue(signalAndRead(kill, server, out).contains("GF-DUMP (123451501 v1): calls 4"));
            assertTrue(server.isAlive(), "SIGUSR1 must not end the server");
        } finally {
            stop(server);
        }
    }

    @Test
    @Tag("external")
    void sigusr1MakesTheEchoServerPrintItsStatedump() throws Exception {
        Path kill = External.requireExecutable("kill", "procps");
        Process server = startChild("echo-server", "--port", "0", "--pollers", "1");
        try (BufferedReader out = reader(server); Socket peer = new Socket()) {
            int port = awaitListening(out);
            peer.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            OutputStream o = peer.getOutputStream();
            o.write("ping".getBytes(StandardCharsets.US_ASCII));
            assertEquals("ping", new String(peer.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
            String dump = signalAndRead(kill, server, out);
            assertTrue(dump.contains("EchoServer on /127.0.0.1:" + port + ": accepted 1, refused 0, open 1"), dump);
            assertTrue(dump.contains("<-> /127.0.0.1:" + peer.getLocalPort() + "] OPEN, queued 0 B"), dump);
        } finally {
            stop(server);
        }
    }

    private static Process startChild(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider", Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static int awaitListening(BufferedReader out) throws Exception {
        String line = readLine(out);
        Matcher m = LISTENING.matcher(line == null ? "" : line);
        assertTrue(m.matches(), "the server's first line: " + line);
        return Integer.parseInt(m.group(1));
    }

    /** Sends SIGUSR1 and reads standard output from the dump's first line through its last. */
    private static String signalAndRead(Path kill, Process server, BufferedReader out) throws Exception {
        Process k = new ProcessBuilder(kill.toString(), "-USR1", Long.toString(server.pid())).start();
        assertTrue(k.waitFor(10, TimeUnit.SECONDS), "kill did not return");
        assertEquals(0, k.exitValue());
        StringBuilder dump = new StringBuilder();
        String line;
        do {
            line = readLine(out);
        } while (line != null && !line.equals(Statedump.BEGIN));
        assertEquals(Statedump.BEGIN, line, "no statedump on standard output");
        while ((line = readLine(out)) != null && !line.equals(Statedump.END)) {
            dump.append(line).append('\n');
        }
        assertEquals(Statedump.END, line, "the statedump did not end:\n" + dump);
        return dump.toString();
    }

    /** A line of the child's output, or a failure after 30 s: a read never hangs the build. */
    private static String readLine(BufferedReader out) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(30, TimeUnit.SECONDS);
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }
}
