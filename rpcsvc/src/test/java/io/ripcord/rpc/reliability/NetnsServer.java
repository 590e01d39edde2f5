package io.ripcord.rpc.reliability;

import io.ripcord.transport.Listener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The far end of {@link TwoHostsTest}'s link-down case: run in another network namespace, it serves the
 * {@link ServiceFixture} program (INC answers, HOLD never does) on {@code host}, port 0, prints
 * {@code listening <port>}, and runs until its standard input ends; then it prints
 * {@code accepted <count>}. Argument: host. The namespace's loopback must be up (the
 * fixture also listens there).
 */
public final class NetnsServer {
    private NetnsServer() {
    }

    public static void main(String[] args) {
        try {
            serve(args[0]);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1); // the pool's pollers would keep a half-started server alive
        }
    }

    private static void serve(String host) throws Exception {
        try (ServiceFixture server = new ServiceFixture(1, ServiceFixture.limits(64 * 1024), "netns-server");
             Listener onLink = server.service.listen(server.pool,
                     new InetSocketAddress(InetAddress.getByName(host), 0))) {
            System.out.println("listening " + ((InetSocketAddress) onLink.address()).getPort());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // the test closes our standard input when it is done
            }
            System.out.println("accepted " + onLink.acceptedCount());
            System.out.flush();
        }
    }
}
