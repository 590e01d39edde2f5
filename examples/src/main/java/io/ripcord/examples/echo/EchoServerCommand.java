package io.ripcord.examples.echo;

import io.ripcord.examples.Statedump;
import io.ripcord.transport.ListenerOptions;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code echo-server}: runs an {@link EchoServer} until SIGINT or SIGTERM. */
@Command(name = "echo-server", mixinStandardHelpOptions = true,
        description = "Echoes every byte back. Prints 'listening on <address>' when ready; stop with Ctrl-C.")
public final class EchoServerCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    private String host = "127.0.0.1";

    @Option(names = "--port", description = "TCP port, 0 for an ephemeral one (default: ${DEFAULT-VALUE}).")
    private int port = 7000;

    @Option(names = "--unix", description = "Listen on this Unix domain socket path instead of TCP.")
    private Path unix;

    @Option(names = "--pollers", description = "Poller (I/O) threads (default: the number of processors).")
    private int pollers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--reuseport", description = "A listening socket per poller (SO_REUSEPORT): each poller accepts"
            + " its own connections.")
    private boolean reusePort;

    @Option(names = "--tls", description = "TLS with the bundled self-signed demo certificate for localhost.")
    private boolean tls;

    private final CompletableFuture<EchoServer> started = new CompletableFuture<>();

    @Override
    public Integer call() throws Exception {
        SocketAddress address = unix != null ? UnixDomainSocketAddress.of(unix) : new InetSocketAddress(host, port);
        EchoServer server;
        try {
            server = EchoServer.start(address, pollers, tls ? EchoServer.demoTls() : null,
                    ListenerOptions.builder().reusePort(reusePort).build());
        } catch (Exception e) {
            started.completeExceptionally(e);
            throw e;
        }
        Statedump.onSignal(server::dumpState, spec.commandLine().getOut());
        Thread hook = new Thread(server::close, "echo-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine().getOut().println("listening on " + server.address());
        spec.commandLine().getOut().flush();
        started.complete(server);
        server.awaitTermination();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already exiting (SIGINT/SIGTERM): the hook is what stopped us.
        }
        return 0;
    }

    /** Completes with the running server once it listens; lets an in-process caller stop it. */
    public CompletableFuture<EchoServer> started() {
        return started;
    }
}
