package io.ripcord.rpc.rpcbind;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** For tests against the real rpcbind daemon, in any package. */
public final class RpcbindTestSupport {
    private RpcbindTestSupport() {
    }

    /**
     * Fails the test under {@code CI=true} (CI starts rpcbind) and skips it elsewhere when rpcbind is not
     * reachable on 111 or its local socket is missing.
     */
    public static void requireRpcbind() {
        String why = null;
        try (Socket s = new Socket()) {
            s.connect(RpcbindClient.DEFAULT_ADDRESS, 2000);
        } catch (IOException e) {
            why = "rpcbind is not reachable at " + RpcbindClient.DEFAULT_ADDRESS + " (" + e + "); start it with "
                    + "`rpcbind -w` as root";
        }
        if (why == null && !Files.exists(Path.of(RpcbindClient.LOCAL_SOCKET.getPath().toString()))) {
            why = "rpcbind's local socket " + RpcbindClient.LOCAL_SOCKET.getPath() + " is missing";
        }
        if (why != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
    }
}
