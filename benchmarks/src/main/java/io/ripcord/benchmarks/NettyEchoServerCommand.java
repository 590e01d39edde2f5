package io.ripcord.benchmarks;

import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code netty-echo-server}: the Netty peer of Ripcord's {@code echo-server}. */
@Command(name = "netty-echo-server", mixinStandardHelpOptions = true,
        description = "Netty echo server. Prints 'listening on <address>' when ready; stop with Ctrl-C.")
public final class NettyEchoServerCommand implements Callable<Integer> {

    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    private String host = "127.0.0.1";

    @Option(names = "--port", description = "TCP port, 0 for an ephemeral one (default: ${DEFAULT-VALUE}).")
    private int port = 7000;

    @Option(names = "--transport", description = "nio or epoll (default: ${DEFAULT-VALUE}).")
    private String transport = "epoll";

    @Option(names = "--threads", description = "Event loop threads (default: the number of processors).")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws Exception {
        NettyEchoServer.Kind kind = NettyEchoServer.Kind.valueOf(transport.toUpperCase(Locale.ROOT));
        NettyEchoServer server = NettyEchoServer.start(host, port, kind, threads);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "netty-echo-shutdown"));
        System.out.println("listening on " + server.address());
        System.out.flush();
        server.awaitClose();
        return 0;
    }
}
