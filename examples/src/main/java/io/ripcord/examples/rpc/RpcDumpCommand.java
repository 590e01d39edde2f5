package io.ripcord.examples.rpc;

import io.ripcord.rpc.client.GfDumpClient;
import io.ripcord.rpc.client.RpcException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rpc dump}: GF-DUMP DUMP (123451501 v1 procedure 1), the programs a GlusterFS listener (or any Ripcord
 * {@code RpcService}) serves, one per line in the server's order.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Lists the programs the server's listener serves, through GlusterFS's GF-DUMP DUMP "
                + "(123451501 v1 proc 1): glusterd, or any Ripcord RpcService.",
                "One line per program: number, version, name. Exit code 1 if the call fails."})
final class RpcDumpCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectOptions timeout;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "Server address, or a Unix socket path "
            + "(glusterd's /var/run/glusterd.socket lists other programs than its TCP port).")
    private String target;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SocketAddress address;
        try {
            address = Endpoint.parse(target, -1);
            timeout.timeout();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<GfDumpClient.Program> programs;
        try (Endpoint endpoint = timeout.connect(address)) {
            programs = GfDumpClient.dump(endpoint.client()).get();
        } catch (IOException e) {
            err.println("rpc: " + e.getMessage());
            return 1;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            err.println("rpc: GF-DUMP DUMP failed: " + (c instanceof RpcException
                    ? ReplyState.of((RpcException) c) + ": " : "") + ReplyState.describe(c));
            return 1;
        }
        print(out, programs);
        return 0;
    }

    /** A table like {@code rpcinfo -p}'s: right-aligned numbers, then the name. */
    static void print(PrintWriter out, List<GfDumpClient.Program> programs) {
        int width = "program".length();
        for (GfDumpClient.Program p : programs) {
            width = Math.max(width, Long.toUnsignedString(p.program()).length());
        }
        String row = "%" + (width + 3) + "s %4s  %s%n";
        out.printf(row, "program", "vers", "name");
        for (GfDumpClient.Program p : programs) {
            out.printf(row, Long.toUnsignedString(p.program()), Long.toUnsignedString(p.version()), p.name());
        }
        out.flush();
    }
}
