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
@Command(name = "ripcord-examples", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Runnable Ripcord servers and clients.",
        subcommands = {DemoCommand.class, EchoServerCommand.class, EchoClientCommand.class, RpcServerCommand.class,
                RpcCommand.class, GlusterdCommand.class, XdrCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** The command line with every subcommand, as {@link #main} runs it; tests drive it in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(Main::failure);
    }

    /**
     * An I/O or RPC failure (a port in use, a server that does not answer) is the user's to act on: one line
     * naming the command and what failed, exit code 1. Anything else is a bug: the stack trace.
     */
    private static int failure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException
                || e instanceof io.ripcord.rpc.client.RpcException) {
            cl.getErr().println(cl.getCommandName() + ": " + e.getMessage());
            cl.getErr().flush();
            return 1;
        }
        throw e;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The jar's version, from its manifest; classes run from a directory are a development build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ripcord-examples " + (v != null ? v : "(development build)")};
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand");
    }
}
