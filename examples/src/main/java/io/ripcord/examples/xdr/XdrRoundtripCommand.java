package io.ripcord.examples.xdr;

import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.rpc.xdr.XdrType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code xdr roundtrip}: line by line, bytes decoded and encoded again: the canonical re-encoding in hex, or
 * {@code ERR <reason>}. One process serves every type of the file, so a differential test against another
 * implementation costs one compilation.
 */
@Command(name = "roundtrip", mixinStandardHelpOptions = true,
        description = {"Reads one hex string per line (with --type), or 'NAME HEX' per line (without), and writes "
                + "per line the canonical re-encoding in hex, or 'ERR <reason>' when the bytes are not exactly one "
                + "value of the type: malformed, too short, or with bytes left over.",
                "Exit code 0 once every line is answered, 2 for a usage or .x error."})
final class XdrRoundtripCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private XdrFileOptions file;

    @Option(names = "--type", paramLabel = "NAME", description = "The type of every line; without it each line "
            + "starts with its type's .x name.")
    private String type;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, XdrType<?>> types = file.typesOrReport(type, err);
        if (types == null) {
            return 2;
        }
        XdrType<?> fixed = type == null ? null : types.get(type);
        try (BufferedReader lines = file.in != null ? Files.newBufferedReader(file.in, StandardCharsets.US_ASCII)
                : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = lines.readLine()) != null) {
                out.println(answer(types, fixed, line));
            }
        }
        out.flush();
        return 0;
    }

    private String answer(Map<String, XdrType<?>> types, XdrType<?> fixed, String line) {
        XdrType<?> t = fixed;
        String hex = line;
        if (t == null) {
            String trimmed = line.strip();
            int space = trimmed.indexOf(' ');
            String name = space < 0 ? trimmed : trimmed.substring(0, space);
            t = types.get(name);
            if (t == null) {
                return "ERR no type '" + name + "' in " + file.file.getFileName();
            }
            hex = space < 0 ? "" : trimmed.substring(space + 1);
        }
        try {
            return HexFormat.of().formatHex(t.roundTrip(ByteBuffer.wrap(XdrFileOptions.hex(hex))));
        } catch (XdrException | IllegalArgumentException e) {
            return "ERR " + e.getMessage();
        }
    }
}
