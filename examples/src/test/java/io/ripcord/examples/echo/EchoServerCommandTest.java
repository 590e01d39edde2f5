package io.ripcord.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.examples.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EchoServerCommandTest {

    @Test
    void echoServerSubcommandPrintsOneListeningLineAndStops() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        EchoServerCommand cmd = cl.getSubcommands().get("echo-server").getCommand();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> cl.execute("echo-server", "--port", "0", "--pollers", "1"));

        EchoServer server = cmd.started().get(30, TimeUnit.SECONDS);
        String printed = out.toString();
        assertTrue(printed.matches("listening on /127\\.0\\.0\\.1:[1-9][0-9]*\\R"), printed);
        assertEquals("listening on " + server.address() + System.lineSeparator(), printed);

        server.close();
        assertEquals(0, exit.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aPortInUseIsOneLineNamingTheAddressNotAStackTrace() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CommandLine cl = Main.commandLine();
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err, true));
            int exit = cl.execute("echo-server", "--port", Integer.toString(taken.getLocalPort()), "--pollers", "1");
            assertEquals(1, exit, err.toString());
            assertEquals(1, err.toString().lines().count(), err.toString());
            assertTrue(err.toString().startsWith("echo-server: cannot listen on /127.0.0.1:" + taken.getLocalPort()
                    + ": "), err.toString());
        }
    }

    @Test
    void noSubcommandIsAUsageError() {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, cl.execute());
    }
}
