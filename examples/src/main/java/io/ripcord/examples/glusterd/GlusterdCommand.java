package io.ripcord.examples.glusterd;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glusterd}: runs a {@link GlusterdEndpoint} until SIGINT or SIGTERM. */
@Command(name = "glusterd", mixinStandardHelpOptions = true,
        description = {"Serves the gluster CLI (peer status, pool list, volume create/info/list/start/stop/delete) "
                + "on a Unix socket and, read-only, on TCP. Prints 'listening on <address>' per listener when "
                + "ready; stop with Ctrl-C.",
                "Try: gluster --glusterd-sock=<socket> volume list"})
public final class GlusterdCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--socket", description = "Unix socket of the full CLI program (default: ${DEFAULT-VALUE}).")
    private Path socket = GlusterdEndpoint.DEFAULT_SOCKET;

    @Option(names = "--host", description = "Address of the read-only TCP listener (default: ${DEFAULT-VALUE}).")
    private String host = "0.0.0.0";

    @Option(names = "--port", description = "TCP port of the read-only listener, 0 for an ephemeral one, -1 for "
            + "no TCP listener (default: ${DEFAULT-VALUE}; the CLI's --remote-host only uses 24007).")
    private int port = GlusterdEndpoint.DEFAULT_PORT;

    @Option(names = "--state", description = "State file where volumes persist (default: ${DEFAULT-VALUE}).")
    private Path stateFile = Path.of("ripcord-glusterd.state");

    private final CompletableFuture<GlusterdEndpoint> started = new CompletableFuture<>();

    @Override
    public Integer call() throws Exception {
        GlusterdEndpoint endpoint;
        try {
            endpoint = GlusterdEndpoint.start(socket, port < 0 ? null : new InetSocketAddress(host, port), stateFile);
        } catch (Exception e) {
            started.completeExceptionally(e);
            throw e;
        }
        Thread hook = new Thread(endpoint::close, "glusterd-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        endpoint.addresses().forEach(a -> spec.commandLine().getOut().println("listening on " + a));
        spec.commandLine().getOut().flush();
        started.complete(endpoint);
        endpoint.awaitTermination();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already exiting (SIGINT/SIGTERM): the hook is what stopped us.
        }
        return 0;
    }

    /** Completes with the running endpoint once it listens; lets an in-process caller stop it. */
    public CompletableFuture<GlusterdEndpoint> started() {
        return started;
    }
}
