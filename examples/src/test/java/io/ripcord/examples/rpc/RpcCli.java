package io.ripcord.examples.rpc;

import io.ripcord.examples.Main;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine;

/** Test helpers: the examples' command line run in-process, and one raw RPC exchange over a plain socket. */
final class RpcCli {

    private RpcCli() {
    }

    /** What a command printed and returned. */
    record Result(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** Runs {@code ripcord-examples args...} in-process, as {@code main} would, capturing stdout and stderr. */
    static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    /**
     * Sends one record-marked call on a new connection and returns the reply record as it came, record marks
     * included (all fragments up to the last).
     */
    static byte[] exchange(InetSocketAddress server, byte[] call, Duration timeout) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server, (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            s.getOutputStream().write(call);
            s.getOutputStream().flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            ByteBuffer reply = ByteBuffer.allocate(1 << 16);
            boolean last = false;
            while (!last) {
                int mark = in.readInt();
                last = mark < 0;
                byte[] fragment = new byte[mark & 0x7fffffff];
                in.readFully(fragment);
                reply.putInt(mark).put(fragment);
            }
            byte[] out = new byte[reply.position()];
            reply.flip().get(out);
            return out;
        }
    }
}
