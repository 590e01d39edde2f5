package io.ripcord.rpc.reliability;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The attacker of {@link SlowPeersTest}, in its own process as it would be on another host: opens {@code n}
 * connections to {@code host port}, starts a record on each and never finishes it, trickling one byte per
 * connection every 100 ms (so an idle timeout never fires). Even connections hold a fragment header (the
 * bytes wait in the transport's framer), odd ones a complete non-last fragment and the next header (the bytes
 * wait in the record decoder's reassembly). Prints {@code connected <n>} once every connection is open and
 * started, then trickles until every connection is closed by the server or its standard input ends, and prints
 * {@code closed <count>}. Arguments: host, port, n.
 */
public final class SlowLorisClient {
    private SlowLorisClient() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int n = Integer.parseInt(args[2]);
        List<Socket> open = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Socket s = new Socket();
            s.connect(server, 10_000);
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            if (i % 2 == 0) {
                out.write(new byte[] {0, 0, 0x03, (byte) 0xE8}); // a non-last 1000-byte fragment begins
            } else {
                out.write(ServiceFixture.fragment(new byte[8], 0, 8, false));
                out.write(new byte[] {(byte) 0x80, 0, 0x03, (byte) 0xE8}); // the last one begins
            }
            open.add(s);
        }
        System.out.println("connected " + n);
        System.out.flush();
        Thread stdin = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the test closes our standard input to stop us early
                }
            } catch (IOException e) {
                // same as end of input
            }
            System.exit(2);
        }, "stdin");
        stdin.setDaemon(true);
        stdin.start();
        int closed = 0;
        while (!open.isEmpty()) {
            Thread.sleep(100);
            for (int i = open.size() - 1; i >= 0; i--) {
                Socket s = open.get(i);
                try {
                    s.getOutputStream().write(0);
                } catch (IOException e) { // reset or broken pipe: the server closed it
                    s.close();
                    open.remove(i);
                    closed++;
                }
            }
        }
        System.out.println("closed " + closed);
        System.out.flush();
    }
}
