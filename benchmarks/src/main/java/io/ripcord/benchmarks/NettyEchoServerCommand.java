package io.ripcord.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
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

    @Option(names = "--tls-p12", paramLabel = "FILE", description = "Serve TLS with the key and certificate in this "
            + "PKCS12 file (compare-echo --tls extracts Ripcord's demo one, which echo-client --tls trusts).")
    private Path tlsP12;

    @Option(names = "--tls-password", description = "The PKCS12 file's password (default: the demo one's).")
    private String tlsPassword = "ripcord-demo";

    @Override
    public Integer call() throws Exception {
        NettyEchoServer.Kind kind = NettyEchoServer.Kind.valueOf(transport.toUpperCase(Locale.ROOT));
        NettyEchoServer server = NettyEchoServer.start(host, port, kind, threads,
                tlsP12 == null ? null : serverContext(tlsP12, tlsPassword.toCharArray()));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "netty-echo-shutdown"));
        System.out.println("listening on " + server.address());
        System.out.flush();
        server.awaitClose();
        return 0;
    }

    static SSLContext serverContext(Path p12, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
