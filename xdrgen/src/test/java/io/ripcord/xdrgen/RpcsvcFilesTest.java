package io.ripcord.xdrgen;

import io.ripcord.testsupport.External;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.xdr.XdrType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code .x} file Debian installs under {@code /usr/include/rpcsvc} (read there at test time) compiles, the
 * Java it gives compiles without a warning, and every one of its types re-encodes random valid bytes unchanged.
 */
@Tag("external")
class RpcsvcFilesTest {

    private static final int SAMPLES_PER_TYPE = 200;

    @TestFactory
    List<DynamicTest> everyRpcsvcFileCompilesToJavaThatCompilesAndRoundTrips() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : SystemXdrFiles.all()) {
            tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                Generated g = Generated.compile(SystemXdrFiles.packageFor(file), SystemXdrFiles.withCompanions(file));
                assertEquals(List.of(), g.compiled.warnings(), file + ": javac warnings");
                Map<String, XdrType<?>> types = g.types();
                assertFalse(types.isEmpty(), file + " defines no type");
                Random random = new Random(file.getFileName().toString().hashCode());
                for (Map.Entry<String, XdrType<?>> t : types.entrySet()) {
                    for (int i = 0; i < SAMPLES_PER_TYPE; i++) {
                        byte[] bytes = ValidBytes.of(g.schema, g.shapeOf(t.getKey()), random);
                        assertArrayEquals(bytes, t.getValue().roundTrip(ByteBuffer.wrap(bytes)), file + " " + t.getKey());
                    }
                }
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> theProgramsOfRpcsvcFilesGetServersAndClients() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : List.of("nfs_prot.x", "mount.x", "nlm_prot.x", "rquota.x", "sm_inter.x", "yp.x")) {
            Path file = SystemXdrFiles.RPCSVC.resolve(name);
            tests.add(DynamicTest.dynamicTest(name, () -> {
                External.require(file.toFile().isFile(), file.toString(), "apt-get install rpcsvc-proto");
                Generated g = Generated.compile(SystemXdrFiles.packageFor(file), file);
                long versions = g.sources.stream().filter(s -> s.content().contains("public interface AsyncServer"))
                        .count();
                assertTrue(versions > 0, name + " has program versions");
            }));
        }
        return tests;
    }
}
