package io.ripcord.xdrgen;

import java.nio.file.Path;

/**
 * Where something is in a {@code .x} file: the path (for error messages), the file's name (for comments in
 * generated code, which must not depend on where the build ran), a line and a column, both from 1.
 */
record Location(Path path, String fileName, int line, int column) {

    static Location of(Path path, int line, int column) {
        Path name = path.getFileName();
        return new Location(path, name == null ? path.toString() : name.toString(), line, column);
    }

    /** {@code kv.x:12}: how generated code cites its origin. */
    String cite() {
        return fileName + ":" + line;
    }

    /** {@code path/kv.x:12:5}: how errors name a place. */
    @Override
    public String toString() {
        return path + ":" + line + ":" + column;
    }
}
