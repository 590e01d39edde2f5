package io.ripcord.examples.rpc;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rpc}: a generic ONC RPC client on the command line; the work is in its subcommands. */
@Command(name = "rpc", mixinStandardHelpOptions = true,
        description = "A generic ONC RPC client over TCP, a Unix socket or UDP (--udp): ping, dump, call, rpcbind.",
        subcommands = {RpcPingCommand.class, RpcDumpCommand.class, RpcCallCommand.class, RpcbindCommand.class,
                CommandLine.HelpCommand.class})
public final class RpcCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name an rpc subcommand: ping, dump, call, "
                + "rpcbind");
    }
}
