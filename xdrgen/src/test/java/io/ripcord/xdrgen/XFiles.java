package io.ripcord.xdrgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes {@code .x} text to files and runs the front end on them, for tests. */
final class XFiles {

    private XFiles() {
    }

    static Path write(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Token> tokens(Path file, Map<String, String> defines, List<Path> include) throws XdrCompileException {
        return new Scanner(defines, include).scan(file);
    }

    static List<Ast.Definition> parse(Path file) throws XdrCompileException {
        return new Parser(tokens(file, Map.of(), List.of())).parse();
    }

    static Schema schema(Path file) throws XdrCompileException {
        return new Schema(parse(file));
    }

    /** The tokens' texts joined by spaces, without the end marker. */
    static String texts(List<Token> tokens) {
        StringBuilder sb = new StringBuilder();
        for (Token t : tokens) {
            if (t.kind() != Token.Kind.END) {
                sb.append(sb.length() == 0 ? "" : " ").append(t.text());
            }
        }
        return sb.toString();
    }
}
