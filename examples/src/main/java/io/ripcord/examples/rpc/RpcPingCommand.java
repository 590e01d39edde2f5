package io.ripcord.examples.rpc;

import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.client.CallOptions;
import io.ripcord.rpc.client.ProgramMismatchException;
import io.ripcord.rpc.client.RpcCaller;
import io.ripcord.rpc.client.RpcException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.SocketAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rpc ping}: NULL (procedure 0) calls, as {@code rpcinfo -a UADDR -T tcp|udp PROG [VERS]} makes them.
 * With no version it discovers them the way rpcinfo does: version 0 first, whose PROG_MISMATCH reply names the
 * lowest and highest versions, then a NULL to each of those in turn, all on one connection (or UDP socket).
 */
@Command(name = "ping", mixinStandardHelpOptions = true,
        description = {"NULL-calls a program like 'rpcinfo -a ADDR -T tcp PROG [VERS]': prints 'program P version V "
                + "ready and waiting' per version; on failure 'program P version V is not available' and the error "
                + "on stderr, exit code 1.",
                "Without VERS, finds the versions as rpcinfo does: a call to version 0 gets PROG_MISMATCH with the "
                + "lowest and highest versions, then each of them is called. TCP (or a Unix socket), or UDP with --udp."})
final class RpcPingCommand implements Callable<Integer> {

    /** More versions than any real program has: a reply claiming more is not worth thousands of calls. */
    static final long MAX_VERSIONS = 1024;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectOptions timeout;

    @Mixin
    private TlsClientOptions tls;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "Server address, or a Unix socket path.")
    private String target;

    @Parameters(index = "1", paramLabel = "PROG", description = "Program number (0x... for hex) or /etc/rpc name.")
    private String programText;

    @Parameters(index = "2", arity = "0..1", paramLabel = "VERS", description = "Version; omitted: all of them.")
    private Long version;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SocketAddress address;
        int program;
        CallOptions options;
        try {
            address = Endpoint.parse(target, -1);
            program = ProgramNames.system().parse(programText);
            options = CallOptions.timeout(timeout.timeout());
            if (version != null && (version < 0 || version > 0xFFFF_FFFFL)) {
                throw new IllegalArgumentException("VERS must be an unsigned 32-bit number, got " + version);
            }
            tls.validate();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        String prog = Integer.toUnsignedString(program);
        long first = version != null ? version : 0;
        try (Endpoint endpoint = timeout.connect(address, tls.setup())) {
            RpcCaller client = endpoint.client();
            if (version != null) {
                return ping(client, program, version.intValue(), options, out, err) ? 0 : 1;
            }
            long low;
            long high;
            try {
                nullCall(client, program, 0, options);
                // Not PROG_MISMATCH: the server serves version 0 itself (rpcinfo leaves this case unspecified).
                out.println("program " + prog + " version 0 ready and waiting");
                return 0;
            } catch (ProgramMismatchException e) {
                low = Integer.toUnsignedLong(e.low());
                high = Integer.toUnsignedLong(e.high());
                if (low > high || high - low >= MAX_VERSIONS || low == 0 && high == 0) {
                    // glusterd 10.3 answers every PROG_MISMATCH with low = high = 0 (seen on the wire).
                    notAvailable(out, err, prog, 0, e.getMessage() + (low == 0 && high == 0
                            ? "; the server names no versions: give VERS" : "; not probing that range"), e);
                    return 1;
                }
            } catch (RpcException e) {
                notAvailable(out, err, prog, 0, null, e);
                return 1;
            }
            boolean all = true;
            for (long v = low; v <= high; v++) {
                all &= ping(client, program, (int) v, options, out, err);
            }
            return all ? 0 : 1;
        } catch (IOException e) {
            notAvailable(out, err, prog, first, e.getMessage(), null);
            return 1;
        }
    }

    private static boolean ping(RpcCaller client, int program, int version, CallOptions options, PrintWriter out,
                                PrintWriter err) throws InterruptedException {
        String prog = Integer.toUnsignedString(program);
        try {
            nullCall(client, program, version, options);
            out.println("program " + prog + " version " + Integer.toUnsignedString(version) + " ready and waiting");
            return true;
        } catch (RpcException e) {
            notAvailable(out, err, prog, Integer.toUnsignedLong(version), null, e);
            return false;
        }
    }

    private static void nullCall(RpcCaller client, int program, int version, CallOptions options)
            throws RpcException, InterruptedException {
        client.callSync(program, version, 0, (e, v) -> { }, null, RpcActor.VOID, options);
    }

    /** As rpcinfo: the verdict on stdout, the reason on stderr. */
    private static void notAvailable(PrintWriter out, PrintWriter err, String prog, long version, String message,
                                     RpcException e) {
        err.println("rpc: " + (e == null ? message
                : message == null ? ReplyState.describe(e) : e.getClass().getSimpleName() + ": " + message));
        err.flush();
        out.println("program " + prog + " version " + version + " is not available");
    }
}
