package io.ripcord.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTest {

    private static Results.Sample echo(String server, int round, double mps, double p99) {
        return new Results.Sample("echo", "(a) x", 1, server, round, "msgs/s", "1/s", mps, 1, p99, 0);
    }

    @Test
    void rowsAreMediansOverRoundsWithMinAndMax() {
        Results r = new Results();
        r.add(echo("ripcord", 1, 30, 300));
        r.add(echo("ripcord", 2, 10, 100));
        r.add(echo("ripcord", 3, 20, 200));
        Results.Row row = r.row("echo", "(a) x", 1, "ripcord", "msgs/s");
        assertEquals(20, row.median());
        assertEquals(10, row.min());
        assertEquals(30, row.max());
        assertEquals(3, row.n());
        assertEquals(200, row.p99Micros());
    }

    @Test
    void markdownSaysTheCoresAreSharedAndGivesTheRatioToTheBaseline() {
        Results r = new Results();
        r.add(echo("ripcord", 1, 30, 300));
        r.add(echo("netty-epoll", 1, 20, 200));
        Map<String, String> titles = new LinkedHashMap<>();
        titles.put("echo", "Echo");
        String md = r.markdown("# t\n", titles, Map.of("echo", List.of("netty-epoll")));
        assertTrue(md.contains("shared by the load generator and the server"), md);
        assertTrue(md.contains("| (a) x | 1 | ripcord | msgs/s (1/s) | 30.00 | 30.00..30.00 | 1 | 1.00 | 300 | 1.50 | 0 |"),
                md);
    }

    @Test
    void markdownGivesOneRatioColumnPerBaselineAndLeavesAMissingBaselineBlank() {
        Results r = new Results();
        r.add(echo("ripcord", 1, 30, 300));
        r.add(echo("netty-epoll", 1, 20, 200));
        r.add(echo("floor", 1, 40, 100));
        Map<String, String> titles = new LinkedHashMap<>();
        titles.put("echo", "Echo");
        String md = r.markdown("# t\n", titles, Map.of("echo", List.of("netty-epoll", "floor", "absent")));
        assertTrue(md.contains("| vs netty-epoll | vs floor | vs absent | errors |"), md);
        assertTrue(md.contains("| ripcord | msgs/s (1/s) | 30.00 | 30.00..30.00 | 1 | 1.00 | 300 | 1.50 | 0.75 | | 0 |"),
                md);
    }

    @Test
    void csvHasOneLinePerSample(@TempDir Path dir) throws Exception {
        Results r = new Results();
        r.add(echo("ripcord", 1, 30, 300));
        r.add(echo("ripcord", 2, 10, 100));
        Path csv = dir.resolve("raw.csv");
        r.writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(3, lines.size());
        assertEquals("echo,\"(a) x\",1,ripcord,2,msgs/s,1/s,10.000,1.0,100.0,0", lines.get(2));
    }

    @Test
    void plotsWriteAPngEvenOnALogAxis(@TempDir Path dir) throws Exception {
        Results r = new Results();
        r.add(echo("ripcord", 1, 30, 300));
        r.add(echo("netty-epoll", 1, 0, Double.NaN));
        Path png = dir.resolve("p.png");
        assertTrue(Plots.bars(r, "echo", "msgs/s", true, "t", "y", Results.Row::median, true, png));
        assertTrue(Files.size(png) > 0);
    }
}
