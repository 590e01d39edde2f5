package io.ripcord.examples.glusterd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlusterdStateTest {

    @TempDir
    Path dir;

    @Test
    void reopenedStateKnowsNodeAndVolumesWithOptionsReversedAsGlusterdAfterARestart() throws IOException {
        Path file = dir.resolve("state");
        GlusterdState s = GlusterdState.open(file);
        Volume rep = Volume.create("rep", UUID.randomUUID(), 3, List.of("h:/b/1", "h:/b/2", "h:/b/3"));
        s.put(rep);
        s.put(Volume.create("dist", UUID.randomUUID(), 1, List.of("h:/b/d")).withStatus(Volume.Status.STARTED));

        GlusterdState again = GlusterdState.open(file);
        assertEquals(s.nodeId(), again.nodeId());
        assertEquals(List.of("dist", "rep"), again.volumes().stream().map(Volume::name).toList());
        Volume back = again.volume("rep");
        assertEquals(rep.id(), back.id());
        assertEquals(rep.bricks(), back.bricks());
        assertEquals(3, back.replicaCount());
        assertEquals(Volume.Status.STARTED, again.volume("dist").status());
        assertEquals(List.of("performance.client-io-threads", "nfs.disable", "transport.address-family",
                "storage.fips-mode-rchecksum", "cluster.granular-entry-heal"),
                back.options().stream().map(Map.Entry::getKey).toList());

        // Untouched volumes keep their stored order, so a second restart lists them as the first did; a volume
        // stored again (its status changed) goes back to the creation order, exactly as glusterd 10.3 does.
        again.put(again.volume("dist").withStatus(Volume.Status.STOPPED));
        GlusterdState third = GlusterdState.open(file);
        assertEquals(back.options(), third.volume("rep").options());
        assertEquals(List.of("storage.fips-mode-rchecksum", "transport.address-family", "nfs.disable"),
                third.volume("dist").options().stream().map(Map.Entry::getKey).toList());
    }

    @Test
    void everyChangeReplacesTheFileByRenameAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("state");
        GlusterdState s = GlusterdState.open(file);
        Object before = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        s.put(Volume.create("v", UUID.randomUUID(), 1, List.of("h:/b")));
        Object after = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        assertNotEquals(before, after, "a new inode: written aside and renamed, never rewritten in place");
        s.remove("v");
        assertNull(GlusterdState.open(file).volume("v"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aFileThatIsNotAStateFileIsRefusedAndLeftAlone() throws IOException {
        Path file = dir.resolve("state");
        byte[] junk = "format=something else\nvolume.count=x\n".getBytes(StandardCharsets.UTF_8);
        Files.write(file, junk);
        IOException e = assertThrows(IOException.class, () -> GlusterdState.open(file));
        assertEquals(true, e.getMessage().contains("move it away"), e.getMessage());
        assertArrayEquals(junk, Files.readAllBytes(file));
    }
}
