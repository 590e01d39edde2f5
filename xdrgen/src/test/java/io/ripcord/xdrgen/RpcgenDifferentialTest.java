package io.ripcord.xdrgen;

import io.ripcord.testsupport.External;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.rpc.xdr.XdrType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated Java against C made by rpcgen from the same {@code /usr/include/rpcsvc} file: both decode the
 * same lines ({@code TYPE HEX}: random valid values of every type, and damaged copies of them) and encode what
 * they decoded, and must agree byte for byte on what they accept and what they write back. Where Java is
 * stricter on purpose the disagreement is counted by kind (xdrgen/README.md lists them); any other disagreement
 * fails.
 */
@Tag("external")
class RpcgenDifferentialTest {

    /** rpcgen itself stops at nis.x line 411 (a {@code %} line continued with a backslash): no C to compare with. */
    private static final Set<String> RPCGEN_CANNOT = Set.of("nis.x", "nis_callback.x");
    private static final int VALID_PER_TYPE = 30;
    private static final int MUTATED_PER_TYPE = 90;

    /** The kinds of intended disagreement, by a phrase of Java's error message. */
    private static final Map<String, String> STRICTER = Map.of(
            "has no member", "an enum value the enum does not declare (C's xdr_enum takes any int)",
            "bool must be 0 or 1", "a bool or optional-data flag other than 0 and 1 (C's xdr_bool takes non-zero as TRUE)",
            "not well-formed UTF-8", "a string that is not well-formed UTF-8 (C keeps the bytes)",
            "NUL byte", "a string holding NUL (C's xdr_string cuts it there when it encodes)",
            "out of range", "a C char or short out of its range (C truncates it)");

    private static final Map<String, Integer> DISAGREEMENTS = new TreeMap<>();
    private static final Map<String, Integer> TOTALS = new TreeMap<>();

    @TempDir
    static Path work;

    @TestFactory
    List<DynamicTest> generatedJavaAndRpcgensCAgreeOnEveryFile() {
        List<Path> files = SystemXdrFiles.all();
        External.requireExecutable("rpcgen", "rpcsvc-proto");
        External.requireExecutable("gcc", "gcc");
        External.require(Files.isRegularFile(Path.of("/usr/include/tirpc/rpc/rpc.h")), "libtirpc's headers",
                "apt-get install libtirpc-dev");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            if (!RPCGEN_CANNOT.contains(file.getFileName().toString())) {
                tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> compare(file)));
            }
        }
        return tests;
    }

    private static void compare(Path file) throws Exception {
        String base = file.getFileName().toString().replace(".x", "");
        Path dir = Files.createDirectories(work.resolve(base));
        Generated g = Generated.compile(SystemXdrFiles.packageFor(file), file);
        Path driver = CHarness.build(file, dir, List.copyOf(g.types().keySet()));

        Random random = new Random(base.hashCode());
        List<String> lines = new ArrayList<>();
        for (String type : g.types().keySet()) {
            for (int i = 0; i < VALID_PER_TYPE; i++) {
                byte[] valid = ValidBytes.of(g.schema, g.shapeOf(type), random);
                lines.add(type + " " + HexFormat.of().formatHex(valid));
                for (int j = 0; j < MUTATED_PER_TYPE / VALID_PER_TYPE; j++) {
                    lines.add(type + " " + HexFormat.of().formatHex(Mutations.of(valid, random)));
                }
            }
        }
        List<String> c = CHarness.run(driver, lines, dir);
        assertEquals(lines.size(), c.size(), "one answer per line from the C driver");
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String java = java(g, line);
            count(TOTALS, "lines");
            if (java.equals(c.get(i)) || (java.startsWith("ERR") && c.get(i).startsWith("ERR"))) {
                continue;
            }
            String kind = java.startsWith("ERR") && c.get(i).startsWith("OK") ? stricter(java) : null;
            if (kind == null) {
                fail(file + ": Java and rpcgen's C disagree on\n  " + line + "\n  Java: " + java + "\n  C:    " + c.get(i));
            }
            assertTrue(i % (1 + MUTATED_PER_TYPE / VALID_PER_TYPE) != 0,
                    "a valid sample must never disagree: " + line + " Java: " + java);
            count(DISAGREEMENTS, kind);
        }
    }

    private static String java(Generated g, String line) {
        int space = line.indexOf(' ');
        XdrType<?> type = g.types().get(line.substring(0, space));
        try {
            byte[] out = type.roundTrip(ByteBuffer.wrap(HexFormat.of().parseHex(line.substring(space + 1))));
            return "OK " + HexFormat.of().formatHex(out);
        } catch (XdrException e) {
            return "ERR " + e.getMessage();
        }
    }

    private static String stricter(String javaError) {
        for (Map.Entry<String, String> e : STRICTER.entrySet()) {
            if (javaError.contains(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    private static synchronized void count(Map<String, Integer> tally, String key) {
        tally.merge(key, 1, Integer::sum);
    }

    @AfterAll
    static void report() throws IOException {
        StringBuilder sb = new StringBuilder("rpcgen differential: " + TOTALS + "\n");
        DISAGREEMENTS.forEach((k, v) -> sb.append(String.format("%6d  %s%n", v, k)));
        Path out = Path.of("target", "rpcgen-differential.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
        System.out.print(sb);
    }

    /** rpcgen's C for one file, and a driver that decodes and re-encodes {@code TYPE HEX} lines. */
    static final class CHarness {

        private CHarness() {
        }

        static Path build(Path xFile, Path dir, List<String> types) throws Exception {
            String base = xFile.getFileName().toString().replace(".x", "");
            // Run in the .x's own directory: rpcgen then includes "base.h" (ours), not the installed header.
            run(xFile.getParent(), "rpcgen", "-h", "-o", dir.resolve(base + ".h").toString(), xFile.getFileName().toString());
            run(xFile.getParent(), "rpcgen", "-c", "-o", dir.resolve(base + "_xdr.c").toString(),
                    xFile.getFileName().toString());
            StringBuilder table = new StringBuilder();
            for (String t : types) {
                table.append("    {\"").append(t).append("\", (xdrproc_t) xdr_").append(t).append(", sizeof(").append(t)
                        .append(")},\n");
            }
            Files.writeString(dir.resolve("driver.c"), DRIVER.replace("BASE_H", base + ".h").replace("TYPES", table));
            Path exe = dir.resolve("driver");
            run(dir, "gcc", "-O1", "-w", "-I" + dir, "-I/usr/include/tirpc", "-o", exe.toString(),
                    dir.resolve(base + "_xdr.c").toString(), dir.resolve("driver.c").toString(), "-ltirpc");
            return exe;
        }

        static List<String> run(Path driver, List<String> lines, Path dir) throws Exception {
            Path in = dir.resolve("in.txt");
            Path out = dir.resolve("out.txt");
            Files.write(in, lines);
            Process p = new ProcessBuilder(driver.toString()).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the C driver finished");
            assertEquals(0, p.exitValue(), "the C driver's exit code");
            return Files.readAllLines(out);
        }

        private static void run(Path dir, String... command) throws Exception {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
            assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + output);
        }

        private static final String DRIVER = """
                /* Written by RpcgenDifferentialTest: decode each "TYPE HEX" line with rpcgen's xdr routine, encode
                   what it decoded, print "OK HEX" or "ERR". */
                #include <stdio.h>
                #include <stdlib.h>
                #include <string.h>
                #include <rpc/rpc.h>
                #include "BASE_H"

                struct type { const char *name; xdrproc_t proc; size_t size; };
                static const struct type TABLE[] = {
                TYPES    {0, 0, 0}
                };

                static char line[1 << 20];
                static unsigned char in[1 << 19];
                static unsigned char out[(1 << 19) + 4096];

                static int nibble(char c) {
                    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
                }

                int main(void) {
                    while (fgets(line, sizeof line, stdin)) {
                        char *hex = strchr(line, ' ');
                        *hex++ = 0;
                        hex[strcspn(hex, "\\r\\n")] = 0;
                        const struct type *t = TABLE;
                        while (t->name && strcmp(t->name, line) != 0) {
                            t++;
                        }
                        if (!t->name) {
                            printf("ERR no type %s\\n", line);
                            continue;
                        }
                        size_t n = strlen(hex) / 2;
                        for (size_t i = 0; i < n; i++) {
                            in[i] = (unsigned char) (nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
                        }
                        void *obj = calloc(1, t->size + 16);
                        XDR x;
                        xdrmem_create(&x, (char *) in, (u_int) n, XDR_DECODE);
                        if (!t->proc(&x, obj, 0)) {
                            printf("ERR decode\\n");
                        } else if (xdr_getpos(&x) != n) {
                            printf("ERR %u bytes left\\n", (unsigned) (n - xdr_getpos(&x)));
                        } else {
                            XDR e;
                            xdrmem_create(&e, (char *) out, sizeof out, XDR_ENCODE);
                            if (!t->proc(&e, obj, 0)) {
                                printf("ERR encode\\n");
                            } else {
                                printf("OK ");
                                for (u_int i = 0; i < xdr_getpos(&e); i++) {
                                    printf("%02x", out[i]);
                                }
                                printf("\\n");
                            }
                        }
                        xdr_free(t->proc, obj);
                        free(obj);
                    }
                    return 0;
                }
                """;
    }
}
