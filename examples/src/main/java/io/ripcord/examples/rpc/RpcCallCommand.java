package io.ripcord.examples.rpc;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.client.CallOptions;
import io.ripcord.rpc.client.Credential;
import io.ripcord.rpc.client.RpcException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.SocketAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rpc call}: one call with arguments given as raw XDR bytes in hex; prints how it ended
 * ({@link ReplyState}) and, on SUCCESS, the result bytes in hex. Nothing is decoded but the RPC header.
 */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = {"Makes one call with raw XDR arguments given in hex and prints the reply state (SUCCESS, "
                + "PROG_UNAVAIL, PROG_MISMATCH low-high, PROC_UNAVAIL, GARBAGE_ARGS, SYSTEM_ERR, RPC_MISMATCH "
                + "low-high, AUTH_ERROR auth_stat; or GARBAGE_REPLY, TIMEOUT, DISCONNECTED) and, on SUCCESS, the "
                + "result bytes in hex.",
                "Exit code 0 on SUCCESS, 1 otherwise."})
final class RpcCallCommand implements Callable<Integer> {

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

    @Parameters(index = "2", paramLabel = "VERS", description = "Version.")
    private String versionText;

    @Parameters(index = "3", paramLabel = "PROC", description = "Procedure.")
    private String procedureText;

    @Option(names = "--hex", paramLabel = "ARGS", description = "The arguments as XDR bytes in hex, a multiple of "
            + "4 bytes; spaces allowed ('00000005 68656c6c 6f000000'). Default: none (void).")
    private String hexArgs = "";

    @Option(names = "--cred", paramLabel = "FLAVOR[:HEX]", description = "Credential flavor and body in hex "
            + "(zero-padded to a multiple of 4; default: 0, AUTH_NONE). E.g. 1:<auth_sys body>, or an unknown flavor to see AUTH_ERROR.")
    private String cred;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SocketAddress address;
        int program;
        int version;
        int procedure;
        byte[] args;
        CallOptions options;
        try {
            address = Endpoint.parse(target, -1);
            program = ProgramNames.system().parse(programText);
            version = unsigned(versionText, "VERS");
            procedure = unsigned(procedureText, "PROC");
            args = Hex.parse(hexArgs);
            if ((args.length & 3) != 0) {
                // RFC 4506 section 3: every XDR item is a multiple of four bytes; the encoder would pad silently.
                throw new IllegalArgumentException("--hex gives " + args.length + " bytes: XDR arguments are a "
                        + "multiple of 4 bytes (pad them yourself)");
            }
            CallOptions.Builder b = CallOptions.builder().timeout(timeout.timeout());
            if (cred != null) {
                b.credential(credential(cred));
            }
            options = b.build();
            tls.validate();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try (Endpoint endpoint = timeout.connect(address, tls.setup())) {
            byte[] result = endpoint.client().callSync(program, version, procedure,
                    (e, a) -> e.writeFixedOpaque(a), args, ReplyState::readRawResults, options);
            out.println("SUCCESS (" + result.length + " result bytes)");
            out.print(Hex.format(result));
            out.flush();
            return 0;
        } catch (RpcException e) {
            out.println(ReplyState.of(e));
            out.flush();
            if (!ReplyState.isServerReply(e)) {
                err.println("rpc: " + ReplyState.describe(e));
            }
            return 1;
        } catch (IOException e) {
            err.println("rpc: " + e.getMessage());
            return 1;
        }
    }

    private static int unsigned(String text, String what) {
        try {
            String t = text.trim();
            return t.startsWith("0x") || t.startsWith("0X") ? Integer.parseUnsignedInt(t.substring(2), 16)
                    : Integer.parseUnsignedInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be an unsigned 32-bit number, got '" + text + "'");
        }
    }

    /** {@code FLAVOR} or {@code FLAVOR:HEX}. */
    private static Credential credential(String text) {
        int colon = text.indexOf(':');
        int flavor = unsigned(colon < 0 ? text : text.substring(0, colon), "--cred flavor");
        byte[] body = colon < 0 ? new byte[0] : Hex.parse(text.substring(colon + 1));
        if (body.length > AuthFlavor.MAX_BODY) {
            throw new IllegalArgumentException("--cred body holds at most " + AuthFlavor.MAX_BODY + " bytes");
        }
        return Credential.of(flavor, e -> e.writeFixedOpaque(body));
    }
}
