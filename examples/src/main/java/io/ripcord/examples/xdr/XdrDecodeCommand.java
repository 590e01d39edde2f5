package io.ripcord.examples.xdr;

import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.rpc.xdr.XdrType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xdr decode}: one value's bytes (hex or raw) to its text form. */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Decodes one value of a type and prints its text form.",
                "Exit code 0 when the bytes are exactly one value, 1 when not (the reason on stderr), 2 for a usage "
                        + "or .x error."})
final class XdrDecodeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private XdrFileOptions file;

    @Option(names = "--type", required = true, paramLabel = "NAME", description = "The type's .x name.")
    private String type;

    @Option(names = "--hex", paramLabel = "HEX", description = "The bytes in hex; without it the input (stdin or "
            + "--in) is read: hex, or raw bytes with --raw.")
    private String hex;

    @Option(names = "--raw", description = "The input is raw bytes, not hex.")
    private boolean raw;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, XdrType<?>> types = file.typesOrReport(type, err);
        if (types == null) {
            return 2;
        }
        byte[] bytes;
        try {
            bytes = hex != null ? XdrFileOptions.hex(hex)
                    : raw ? file.input() : XdrFileOptions.hex(new String(file.input(), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            err.println("xdr: " + e.getMessage());
            return 2;
        }
        try {
            out.println(types.get(type).decodeToText(ByteBuffer.wrap(bytes)));
            return 0;
        } catch (XdrException e) {
            err.println("xdr: not a " + type + ": " + e.getMessage());
            return 1;
        }
    }
}
