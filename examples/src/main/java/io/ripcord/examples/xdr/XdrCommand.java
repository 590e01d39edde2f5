package io.ripcord.examples.xdr;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code xdr}: decode, encode and round-trip XDR bytes as the types of any {@code .x} file. */
@Command(name = "xdr", mixinStandardHelpOptions = true,
        description = {"Wire debugging with the types of a .x file: the file is compiled in-process to the same "
                + "Java the Maven plugin generates, which then decodes, encodes or round-trips bytes.",
                "Values are written in xdrgen's text form: {name: value, ...}, [a, b], null, \"text\", 0x0a0b, "
                        + "TRUE, FALSE, enum members, numbers."},
        subcommands = {XdrDecodeCommand.class, XdrEncodeCommand.class, XdrRoundtripCommand.class,
                CommandLine.HelpCommand.class})
public final class XdrCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name an xdr subcommand: decode, encode, roundtrip");
    }
}
