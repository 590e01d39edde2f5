package io.ripcord.xdrgen;

import java.nio.file.Path;

/**
 * A {@code .x} file that cannot be compiled: a syntax error, an undefined name, a limit the Java mapping
 * cannot honour. The message starts with the file, line and column ({@code dir/kv.x:12:5: expected ';' ...})
 * and says what was expected.
 */
public final class XdrCompileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    /** The line of the error, from 1; 0 when it concerns the whole file. */
    private final int line;
    /** The column of the error, from 1; 0 when it concerns the whole file. */
    private final int column;

    XdrCompileException(Location where, String message) {
        super(where + ": " + message);
        this.file = where.path();
        this.line = where.line();
        this.column = where.column();
    }

    XdrCompileException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
        this.line = 0;
        this.column = 0;
    }

    /** {@return the file the error is in} */
    public Path file() {
        return file;
    }

    /** {@return the line, from 1; 0 when the error concerns the whole file} */
    public int line() {
        return line;
    }

    /** {@return the column, from 1; 0 when the error concerns the whole file} */
    public int column() {
        return column;
    }
}
