package io.ripcord.examples.glusterd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.examples.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GlusterdCommandTest {

    @TempDir
    Path dir;

    @Test
    void glusterdSubcommandPrintsOneListeningLinePerListenerAndStopsCleanly() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        GlusterdCommand cmd = cl.getSubcommands().get("glusterd").getCommand();
        Path socket = dir.resolve("glusterd.socket");
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("glusterd",
                "--socket", socket.toString(), "--host", "127.0.0.1", "--port", "0",
                "--state", dir.resolve("state").toString()));

        GlusterdEndpoint endpoint = cmd.started().get(30, TimeUnit.SECONDS);
        String nl = System.lineSeparator();
        assertEquals("listening on " + socket + nl + "listening on " + endpoint.addresses().get(1) + nl,
                out.toString());
        assertTrue(out.toString().matches("(?s).*listening on /127\\.0\\.0\\.1:[1-9][0-9]*\\R"), out.toString());
        assertTrue(Files.exists(socket));

        endpoint.close();
        assertEquals(0, exit.get(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(socket), "the socket file is removed on stop");
    }

    @Test
    void aSocketSomeoneListensOnIsNotTakenOver() throws IOException {
        Path socket = dir.resolve("busy.socket");
        try (GlusterdEndpoint first = GlusterdEndpoint.start(socket, null, dir.resolve("a"))) {
            IOException e = assertThrows(IOException.class,
                    () -> GlusterdEndpoint.start(socket, new InetSocketAddress("127.0.0.1", 0), dir.resolve("b")));
            assertTrue(e.getMessage().contains("already listens"), e.getMessage());
            assertTrue(Files.exists(socket));
            assertEquals(1, first.addresses().size());
        }
    }

    @Test
    void aStaleSocketFileIsReplaced() throws IOException {
        Path socket = dir.resolve("stale.socket");
        try (GlusterdEndpoint first = GlusterdEndpoint.start(socket, null, dir.resolve("a"))) {
            assertEquals(1, first.addresses().size());
        }
        // What a killed glusterd leaves behind: a socket file nobody listens on (closing does not unlink it).
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket));
        try (GlusterdEndpoint second = GlusterdEndpoint.start(socket, null, dir.resolve("a"))) {
            assertEquals(socket.toString(), second.addresses().get(0).toString());
        }
    }
}
