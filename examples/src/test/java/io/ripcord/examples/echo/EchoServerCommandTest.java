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
    void noSubcommandIsAUsageError() {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, cl.execute());
    }
}
