package io.ripcord.xdrgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar ripcord-xdrgen.jar}: arguments, output files, exit codes. */
class MainTest {

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void writesTheSourcesOfThePackageAndListsThem() throws Exception {
        Path x = XFiles.write(dir, "point.x", "#ifdef THREE\nstruct point { int x; int y; int z; };\n#else\n"
                + "struct point { int x; int y; };\n#endif\n");
        Path out = dir.resolve("src");
        Result r = run("-p", "com.example.geo", "-o", out.toString(), "-DTHREE", x.toString());
        assertEquals(0, r.exit(), r.err());
        Path point = out.resolve("com/example/geo/Point.java");
        assertTrue(r.out().lines().toList().contains(point.toString()), r.out());
        assertTrue(Files.readString(point).contains("public record Point(int x, int y, int z)"));
    }

    @Test
    void anErrorInAFileExitsOneWithItsPlace() {
        Path x = XFiles.write(dir, "bad.x", "typedef int;\n");
        Result r = run("-o", dir.toString(), x.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("bad.x:1:12: expected a name after the type, found ';'"), r.err());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run().exit());
        assertEquals(2, run("--frobnicate", "a.x").exit());
        assertEquals(2, run("-p").exit());
        Result r = run("-p", "not a package", "a.x");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("not a Java package name"), r.err());
        assertEquals(0, run("--help").exit());
    }
}
