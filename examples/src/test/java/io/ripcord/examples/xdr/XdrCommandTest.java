package io.ripcord.examples.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.examples.Main;
import io.ripcord.examples.kv.xdr.KvRegistry;
import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.rpc.xdr.XdrType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code xdr decode|encode|roundtrip} on kv.x, in-process through the examples' command line. */
class XdrCommandTest {

    private static final String KV_X = Path.of("src/main/xdr/kv.x").toString();
    /** kv_pair {key "ab", value 0x010203}. */
    private static final String PAIR = "00000002 61620000 00000003 01020300";

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void decodePrintsTheTextFormOfExactlyOneValue() {
        Result r = run("xdr", "decode", "--x", KV_X, "--type", "kv_pair", "--hex", PAIR);
        assertEquals(0, r.exit(), r.err());
        assertEquals("{key: 0x6162, value: 0x010203}\n", r.out());
        Result linked = run("xdr", "decode", "--x", KV_X, "--type", "kv_keys", "--hex",
                "00000001 00000001 61000000 00000001 00000001 62000000 00000000");
        assertEquals("{key: 0x61, next: {key: 0x62, next: null}}\n", linked.out());
    }

    @Test
    void decodeSaysWhyBytesAreNotAValue() {
        Result left = run("xdr", "decode", "--x", KV_X, "--type", "kv_pair", "--hex", PAIR + " 00000000");
        assertEquals(1, left.exit());
        assertEquals("xdr: not a kv_pair: 4 bytes left after the kv_pair\n", left.err());
        Result unknown = run("xdr", "decode", "--x", KV_X, "--type", "kv_pear", "--hex", PAIR);
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("no type 'kv_pear'") && unknown.err().contains("kv_pair"), unknown.err());
    }

    @Test
    void decodeReadsRawBytesFromAFile() throws Exception {
        Path raw = Files.write(dir.resolve("pair.bin"), HexFormat.of().parseHex(PAIR.replace(" ", "")));
        Result r = run("xdr", "decode", "--x", KV_X, "--type", "kv_pair", "--raw", "--in", raw.toString());
        assertEquals("{key: 0x6162, value: 0x010203}\n", r.out());
    }

    @Test
    void encodeTurnsTheTextFormBackIntoTheBytes() {
        Result r = run("xdr", "encode", "--x", KV_X, "--type", "kv_pair", "{key: 0x6162, value: 0x010203}");
        assertEquals(0, r.exit(), r.err());
        assertEquals(PAIR.replace(" ", "") + "\n", r.out());
        Result bad = run("xdr", "encode", "--x", KV_X, "--type", "kv_get_result", "{found: MAYBE}");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("expected TRUE or FALSE"), bad.err());
    }

    @Test
    void roundtripAnswersEveryLineWithTheCanonicalEncodingOrErr() throws Exception {
        Path in = Files.write(dir.resolve("lines.txt"), List.of(
                "kv_pair " + PAIR,
                "kv_get_result 00000001 00000001 7a000000",
                "kv_get_result 00000002",
                "kv_key 00000100",
                "kv_pair 00000002 6162",
                "kv_count 00000000",
                "kv_key zz"));
        Result r = run("xdr", "roundtrip", "--x", KV_X, "--in", in.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of(
                PAIR.replace(" ", ""),
                "00000001000000017a000000",
                "ERR bool must be 0 or 1, got 2",
                "ERR opaque length 256 exceeds its declared maximum 255",
                "ERR opaque of 2 bytes needs 4 with padding but only 2 remain",
                "ERR no type 'kv_count' in kv.x",
                "ERR not hexadecimal: 'zz'"), r.out().lines().toList());
    }

    @Test
    void roundtripWithATypeTakesHexAlone() throws Exception {
        Path in = Files.write(dir.resolve("keys.txt"), List.of("00000001 61000000", "00000001 61ffffff", "",
                "00000001 61000000 00000000"));
        Result r = run("xdr", "roundtrip", "--x", KV_X, "--type", "kv_key", "--in", in.toString());
        assertEquals(List.of("0000000161000000", "0000000161000000", "ERR int needs 4 bytes but only 0 remain",
                "ERR 4 bytes left after the kv_key"), r.out().lines().toList(), "padding is written back as zeros");
    }

    @Test
    void theCommandRunsTheSameCodeTheMavenPluginGenerated() throws Exception {
        List<String> lines = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (String[] sample : new String[][] {{"kv_pair", PAIR}, {"kv_pairs", "00000001 " + PAIR},
                {"kv_keys", "00000000"}, {"kv_value", "00000005 0102030405000000"}, {"kv_node", "00000001"}}) {
            lines.add(sample[0] + " " + sample[1]);
            XdrType<?> built = KvRegistry.types().get(sample[0]);
            try {
                expected.add(HexFormat.of().formatHex(built.roundTrip(ByteBuffer.wrap(
                        HexFormat.of().parseHex(sample[1].replace(" ", ""))))));
            } catch (XdrException e) {
                expected.add("ERR " + e.getMessage());
            }
        }
        Path in = Files.write(dir.resolve("same.txt"), lines);
        assertEquals(expected, run("xdr", "roundtrip", "--x", KV_X, "--in", in.toString()).out().lines().toList());
        assertEquals(List.copyOf(KvRegistry.types().keySet()).toString(),
                "[kv_key, kv_value, kv_pair, kv_get_result, kv_node, kv_keys, kv_pairs]");
    }

    @Test
    void aDotXErrorNamesItsPlaceAndExitsTwo() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.x"), "struct s {\n    int a\n};\n");
        Result r = run("xdr", "roundtrip", "--x", broken.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("broken.x:3:1: expected ';' after the struct member 'a', found '}'"), r.err());
    }
}
