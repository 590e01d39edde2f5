package io.ripcord.examples.rpc;

import io.ripcord.examples.kv.KvServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rpc-server}: the KV store of {@code kv.x} on TCP and UDP, until SIGINT or SIGTERM. */
@Command(name = "rpc-server", mixinStandardHelpOptions = true,
        description = "Serves KV_PROG (0x20000B0B) versions 1 and 2 and GF-DUMP on TCP and UDP at one port."
                + " Prints 'listening on <address>' when ready.")
public final class RpcServerCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    private String host = "127.0.0.1";

    @Option(names = "--port", description = "TCP and UDP port, 0 for an ephemeral one (default: ${DEFAULT-VALUE}).")
    private int port = 20490;

    @Option(names = "--pollers", description = "Poller (I/O) threads (default: the number of processors, as for "
            + "every example server and EventPoolOptions).")
    private int pollers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--rpcbind", description = "Register every version with the local rpcbind; unregister at exit.")
    private boolean rpcbind;

    @Override
    public Integer call() throws Exception {
        KvServer server = KvServer.start(host, port, pollers, rpcbind);
        Thread hook = new Thread(server::close, "rpc-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine().getOut().println("listening on " + server.tcpAddress() + " (tcp, udp)");
        spec.commandLine().getOut().flush();
        server.awaitTermination();
        return 0;
    }
}
