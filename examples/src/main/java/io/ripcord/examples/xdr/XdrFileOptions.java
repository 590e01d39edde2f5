package io.ripcord.examples.xdr;

import io.ripcord.rpc.xdr.XdrType;
import io.ripcord.xdrgen.XdrCompileException;
import io.ripcord.xdrgen.XdrCompilerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** What every {@code xdr} subcommand takes: the {@code .x} file, its preprocessor symbols, include directories. */
final class XdrFileOptions {

    @Option(names = "--x", required = true, paramLabel = "FILE.x", description = "The .x file whose types to use.")
    Path file;

    @Option(names = {"-D", "--define"}, paramLabel = "NAME[=VALUE]",
            description = "A preprocessor symbol, as rpcgen's RPC_HDR (repeatable).")
    List<String> defines = new ArrayList<>();

    @Option(names = {"-I", "--include"}, paramLabel = "DIR", description = "Where #include looks (repeatable).")
    List<Path> includes = new ArrayList<>();

    @Option(names = "--in", paramLabel = "FILE", description = "Read the input from FILE instead of stdin.")
    Path in;

    /**
     * Compiles the file; on a usage or {@code .x} error prints it and returns null.
     *
     * @param typeName the type the command needs, or null for all of them
     * @param err      where errors go
     * @return the types by {@code .x} name, or null after an error
     */
    Map<String, XdrType<?>> typesOrReport(String typeName, PrintWriter err) {
        try {
            Map<String, XdrType<?>> types = types();
            if (typeName != null) {
                type(types, typeName, file);
            }
            return types;
        } catch (XdrCompileException | IllegalArgumentException | IllegalStateException e) {
            err.println("xdr: " + e.getMessage());
            return null;
        }
    }

    /** Compiles the file: every type it defines, by {@code .x} name. */
    Map<String, XdrType<?>> types() throws XdrCompileException {
        XdrCompilerOptions.Builder b = XdrCompilerOptions.builder();
        defines.forEach(b::defineFromText);
        includes.forEach(b::includeDirectory);
        return CompiledTypes.of(file, b);
    }

    /** The type named {@code name}, or an exception that lists the names there are. */
    static XdrType<?> type(Map<String, XdrType<?>> types, String name, Path file) {
        XdrType<?> t = types.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no type '" + name + "' in " + file + "; it defines " + types.keySet());
        }
        return t;
    }

    /** The input's bytes: {@code --in FILE} or stdin. */
    byte[] input() throws IOException {
        if (in != null) {
            return Files.readAllBytes(in);
        }
        InputStream stdin = System.in;
        return stdin.readAllBytes();
    }

    /** Hex digits to bytes; whitespace and a leading {@code 0x} are ignored. */
    static byte[] hex(String text) {
        String t = text.strip();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        }
        t = t.replaceAll("\\s", "");
        if ((t.length() & 1) != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + t.length());
        }
        try {
            return HexFormat.of().parseHex(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not hexadecimal: '" + text.strip() + "'");
        }
    }
}
