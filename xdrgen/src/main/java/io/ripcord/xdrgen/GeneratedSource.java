package io.ripcord.xdrgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * One generated Java source file.
 *
 * @param packageName the package (empty for none)
 * @param className   the top-level class's simple name
 * @param fromFile    the {@code .x} file it comes from (its name)
 * @param content     the source text
 */
public record GeneratedSource(String packageName, String className, String fromFile, String content) {

    /** How every generated file starts: a tool may delete a stale file only if it starts so. */
    public static final String MARKER = SourceFile.MARKER;

    /**
     * Checks every member is present.
     *
     * @param packageName the package (empty for none)
     * @param className   the top-level class's simple name
     * @param fromFile    the {@code .x} file it comes from (its name)
     * @param content     the source text
     */
    public GeneratedSource {
        Objects.requireNonNull(packageName, "packageName");
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(fromFile, "fromFile");
        Objects.requireNonNull(content, "content");
    }

    /** {@return the class's binary name, {@code com.example.KvPair}} */
    public String qualifiedName() {
        return packageName.isEmpty() ? className : packageName + "." + className;
    }

    /** {@return where the file goes under a source root: {@code com/example/KvPair.java}} */
    public Path relativePath() {
        Path p = Path.of("");
        if (!packageName.isEmpty()) {
            for (String part : packageName.split("\\.")) {
                p = p.resolve(part);
            }
        }
        return p.resolve(className + ".java");
    }

    /**
     * Writes the file under a source root, unless it already holds exactly this content (so a build that
     * generates the same code again does not make the compiler redo its work).
     *
     * @param sourceRoot the root directory
     * @return the file's path
     * @throws IOException when it cannot be written
     */
    public Path writeTo(Path sourceRoot) throws IOException {
        Path target = sourceRoot.resolve(relativePath());
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
            return target;
        }
        Files.createDirectories(target.getParent());
        Files.write(target, bytes);
        return target;
    }
}
