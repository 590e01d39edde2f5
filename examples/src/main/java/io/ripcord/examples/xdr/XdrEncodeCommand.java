package io.ripcord.examples.xdr;

import io.ripcord.rpc.xdr.XdrType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code xdr encode}: a value's text form to its bytes, in hex. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Encodes a value given in its text form (as decode prints it) and prints the bytes in hex.",
                "Exit code 0 when encoded, 1 when the text is not a value of the type or breaks a limit, 2 for a "
                        + "usage or .x error."})
final class XdrEncodeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private XdrFileOptions file;

    @Option(names = "--type", required = true, paramLabel = "NAME", description = "The type's .x name.")
    private String type;

    @Parameters(arity = "0..1", paramLabel = "VALUE", description = "The value's text form; without it the input "
            + "(stdin or --in) is read.")
    private String value;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, XdrType<?>> types = file.typesOrReport(type, err);
        if (types == null) {
            return 2;
        }
        String text = value != null ? value : new String(file.input(), StandardCharsets.UTF_8);
        try {
            out.println(HexFormat.of().formatHex(types.get(type).encodeText(text)));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("xdr: not a " + type + ": " + e.getMessage());
            return 1;
        }
    }
}
