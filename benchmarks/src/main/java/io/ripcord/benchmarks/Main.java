package io.ripcord.benchmarks;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The benchmarks jar: {@code java -jar ripcord-benchmarks.jar <subcommand> [options]}. */
@Command(name = "ripcord-benchmarks", mixinStandardHelpOptions = true, version = "ripcord-benchmarks 0.1.0",
        description = "Peers and comparison runs for Ripcord.",
        subcommands = {NettyEchoServerCommand.class, CompareEchoCommand.class, AllCommand.class, JmhCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand");
    }
}
