package io.ripcord.examples.echo;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code echo-client}: runs an {@link EchoClient} load and prints its {@link EchoResult}. */
@Command(name = "echo-client", mixinStandardHelpOptions = true,
        description = {"Echo load: keeps messages in flight on each connection, checks every echoed byte and "
                + "measures round trips.",
                "Progress goes to stderr each second, the result block to stdout. Exit code 1 if any byte "
                + "mismatched or a connection failed."})
public final class EchoClientCommand implements Callable<Integer> {

    @Option(names = "--host", description = "Server address (default: ${DEFAULT-VALUE}).")
    private String host = "127.0.0.1";

    @Option(names = "--port", description = "Server TCP port (default: ${DEFAULT-VALUE}).")
    private int port = 7000;

    @Option(names = "--unix", description = "Connect to this Unix domain socket path instead of TCP.")
    private Path unix;

    @Option(names = "--connections", description = "Connections (default: ${DEFAULT-VALUE}).")
    private int connections = 1;

    @Option(names = "--size", description = "Message size in bytes (default: ${DEFAULT-VALUE}).")
    private int size = 64;

    @Option(names = "--depth", description = "Messages in flight per connection (default: ${DEFAULT-VALUE}).")
    private int depth = 1;

    @Option(names = "--duration", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    private double duration = 10;

    @Option(names = "--warmup", description = "Unmeasured seconds before (default: ${DEFAULT-VALUE}).")
    private double warmup = 2;

    @Option(names = "--pollers", description = "Client poller threads (default: the number of processors).")
    private int pollers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--tls", description = "TLS, trusting the bundled demo certificate.")
    private boolean tls;

    @Override
    public Integer call() throws Exception {
        SocketAddress address = unix != null ? UnixDomainSocketAddress.of(unix) : new InetSocketAddress(host, port);
        EchoLoad load = new EchoLoad(address, connections, size, depth, seconds(duration), seconds(warmup),
                pollers, tls);
        EchoResult result = EchoClient.run(load, System.err);
        result.print(System.out);
        return result.errors() == 0 && result.messages() > 0 ? 0 : 1;
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }
}
