package io.ripcord.xdrgen;

import io.ripcord.testsupport.External;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code .x} files Debian's rpcsvc-proto installs under {@code /usr/include/rpcsvc}, read from there (never
 * copied into the repository), for tests tagged {@code external}: missing, they fail the test under
 * {@code CI=true} and skip it elsewhere, decided before the test does its work.
 */
final class SystemXdrFiles {

    static final Path RPCSVC = Path.of("/usr/include/rpcsvc");

    private SystemXdrFiles() {
    }

    /** The {@code .x} files Debian installs under {@code /usr/include/rpcsvc}, read from there (never copied). */
    static List<Path> all() {
        External.require(Files.isDirectory(RPCSVC) && xFiles().findAny().isPresent(), RPCSVC + "/*.x",
                "apt-get install rpcsvc-proto");
        return xFiles().sorted().toList();
    }

    private static Stream<Path> xFiles() {
        try {
            return Files.isDirectory(RPCSVC) ? Files.list(RPCSVC).filter(p -> p.toString().endsWith(".x")) : Stream.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file with the files it needs compiled beside it: nis_callback.x uses nis.x's types without including it. */
    static Path[] withCompanions(Path file) {
        if (file.getFileName().toString().equals("nis_callback.x")) {
            return new Path[] {file.resolveSibling("nis.x"), file};
        }
        return new Path[] {file};
    }

    /** {@code nfs_prot.x} to {@code rpcsvc.nfs_prot}. */
    static String packageFor(Path file) {
        String base = file.getFileName().toString().replace(".x", "");
        return "rpcsvc." + base;
    }
}
