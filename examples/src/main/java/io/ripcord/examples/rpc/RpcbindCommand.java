package io.ripcord.examples.rpc;

import io.ripcord.rpc.client.RpcException;
import io.ripcord.rpc.rpcbind.PortMapping;
import io.ripcord.rpc.rpcbind.Protocol;
import io.ripcord.rpc.rpcbind.RpcbMapping;
import io.ripcord.rpc.rpcbind.Rpcbind;
import io.ripcord.rpc.rpcbind.RpcbindClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rpc rpcbind}: what rpcbind has registered, as {@code rpcinfo -p} prints it (PMAPPROC_DUMP, v2), or
 * with {@code --v4} as {@code rpcinfo HOST} does (RPCBPROC_DUMP, v4: netid, universal address, owner).
 */
@Command(name = "rpcbind", mixinStandardHelpOptions = true,
        description = {"Lists rpcbind's registrations like 'rpcinfo -p HOST' (PMAPPROC_DUMP v2: program, vers, "
                + "proto, port, service), or with --v4 like 'rpcinfo HOST' (RPCBPROC_DUMP v4).",
                "Service names come from /etc/rpc. Exit code 1 if rpcbind cannot be reached."})
final class RpcbindCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectOptions timeout;

    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST[:PORT]",
            description = "rpcbind's address (default: ${DEFAULT-VALUE}, port 111), or its Unix socket path.")
    private String target = "127.0.0.1";

    @Option(names = "--v4", description = "The version 4 dump: netid, universal address and owner.")
    private boolean v4;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SocketAddress address;
        try {
            address = Endpoint.parse(target, Rpcbind.PORT);
            timeout.timeout();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ProgramNames names = ProgramNames.system();
        try (Endpoint endpoint = timeout.connect(address)) {
            RpcbindClient rpcbind = RpcbindClient.over(endpoint.client());
            if (v4) {
                printV4(out, rpcbind.dumpV4().get(), names);
            } else {
                printV2(out, rpcbind.dump().get(), names);
            }
            return 0;
        } catch (IOException e) {
            err.println("rpc: " + e.getMessage());
            return 1;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            err.println("rpc: rpcbind DUMP failed: " + (c instanceof RpcException
                    ? ReplyState.of((RpcException) c) + ": " : "") + ReplyState.describe(c));
            return 1;
        }
    }

    /** rpcinfo -p's layout, column for column. */
    static void printV2(PrintWriter out, List<PortMapping> mappings, ProgramNames names) {
        out.println("   program vers proto   port  service");
        for (PortMapping m : mappings) {
            Protocol p = Protocol.ofIpProtocol(m.protocol());
            out.println(String.format("%10s %4s %5s %6d  %s", Integer.toUnsignedString(m.program()),
                    Integer.toUnsignedString(m.version()), p != null ? p.netid() : Integer.toString(m.protocol()),
                    m.port(), names.name(m.program())).stripTrailing());
        }
        out.flush();
    }

    /** rpcinfo's default (v4) layout. */
    static void printV4(PrintWriter out, List<RpcbMapping> mappings, ProgramNames names) {
        out.println("   program version netid     address                service    owner");
        for (RpcbMapping m : mappings) {
            String service = names.name(m.program());
            out.printf("%10s %4s    %-9s %-22s %-10s %s%n", Integer.toUnsignedString(m.program()),
                    Integer.toUnsignedString(m.version()), m.netid(), m.address(),
                    service.isEmpty() ? "-" : service, m.owner());
        }
        out.flush();
    }
}
