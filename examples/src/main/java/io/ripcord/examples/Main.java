package io.ripcord.examples;

import io.ripcord.examples.demo.DemoCommand;
import io.ripcord.examples.echo.EchoClientCommand;
import io.ripcord.examples.echo.EchoServerCommand;
import io.ripcord.examples.glusterd.GlusterdCommand;
import io.ripcord.examples.rpc.RpcCommand;
import io.ripcord.examples.rpc.RpcServerCommand;
import io.ripcord.examples.xdr.XdrCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The examples jar: {@code java -jar ripcord-examples.jar <subcommand> [options]}. */
@Command(name = "ripcord-examples", mixinStandardHelpOptions = true, version = "ripcord-examples 0.1.0",
        description = "Runnable Ripcord servers and clients.",
        subcommands = {DemoCommand.class, EchoServerCommand.class, EchoClientCommand.class, RpcServerCommand.class,
                RpcCommand.class, GlusterdCommand.class, XdrCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** The command line with every subcommand, as {@link #main} runs it; tests drive it in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand");
    }
}
