package io.ripcord.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.examples.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {

    @Test
    void theDemoDrivesEveryServerAndExitsZero() {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        int rc = cl.execute("demo");
        String text = out.toString();
        assertEquals(0, rc, text);
        assertTrue(text.contains("1000 round trips of 13 bytes, every byte checked"), text);
        assertTrue(text.contains("GET fruit/banana = yellow, LIST = [fruit/apple, fruit/banana, veg/leek]"), text);
        assertTrue(text.contains("GF-DUMP lists [GF-DUMP 123451501 v1, KV 536873739 v1, KV 536873739 v2]"), text);
        assertTrue(text.contains("force -> op_ret 0; volume list -> demo"), text);
        assertTrue(text.endsWith("demo: all good" + System.lineSeparator()), text);
    }
}
