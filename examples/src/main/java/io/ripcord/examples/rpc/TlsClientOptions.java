package io.ripcord.examples.rpc;

import io.ripcord.rpc.client.ConnectionSetup;
import io.ripcord.rpc.tls.RpcTlsClient;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --tls} and its files, for {@code rpc ping} and {@code rpc call}: RPC-with-TLS (RFC 9289) required. */
final class TlsClientOptions {

    @Option(names = "--tls", description = "Probe with AUTH_TLS and upgrade the connection to TLS 1.3 (ALPN "
            + "sunrpc) before calling (RFC 9289); fail if the server does not offer it.")
    private boolean tls;

    @Option(names = "--truststore", paramLabel = "FILE", description = "With --tls: the certificates that verify the "
            + "server (PEM, e.g. the ca.pem rpc-server --tls prints, or a PKCS#12 key store). Default: the JDK's "
            + "authorities.")
    private Path truststore;

    @Option(names = "--keystore", paramLabel = "FILE", description = "With --tls: a PKCS#12 key store with this "
            + "client's key and certificate, for servers that want one (rpc-server --mtls; its client.p12).")
    private Path keystore;

    @Option(names = "--storepass", paramLabel = "PASSWORD", description = "The key stores' password (default: "
            + "${DEFAULT-VALUE}, the demo certificates').")
    private String storepass = DemoPki.PASSWORD;

    @Option(names = "--server-name", paramLabel = "NAME", description = "With --tls: the name the server's "
            + "certificate must carry. Default: the host given.")
    private String serverName;

    /** @throws IllegalArgumentException for TLS options without {@code --tls} */
    void validate() {
        if (!tls && (truststore != null || keystore != null || serverName != null)) {
            throw new IllegalArgumentException("--truststore, --keystore and --server-name need --tls");
        }
    }

    /**
     * The connection setup {@code --tls} asks for, or {@code null} without it.
     *
     * @throws IOException when a key store or certificate file cannot be read
     */
    ConnectionSetup setup() throws IOException {
        if (!tls) {
            return null;
        }
        RpcTlsClient.Builder b = RpcTlsClient.builder(TlsFiles.context(keystore, storepass.toCharArray(),
                truststore));
        if (serverName != null) {
            b.serverName(serverName);
        }
        return b.build();
    }
}
