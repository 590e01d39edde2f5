package io.ripcord.examples.rpc;

import io.ripcord.examples.Statedump;
import io.ripcord.examples.kv.KvServer;
import io.ripcord.transport.ListenerOptions;
import io.ripcord.rpc.SecurityPolicy;
import io.ripcord.rpc.tls.CertificateUserMapper;
import io.ripcord.rpc.tls.RpcTlsPolicy;
import io.ripcord.rpc.tls.RpcTlsServer;
import io.ripcord.transport.TlsOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rpc-server}: the KV store of {@code kv.x} on TCP and UDP, until SIGINT or SIGTERM. */
@Command(name = "rpc-server", mixinStandardHelpOptions = true,
        description = {"Serves KV_PROG (0x20000B0B) versions 1 and 2 and GF-DUMP on TCP and UDP at one port."
                + " Prints 'listening on <address>' when ready.",
                "With --tls (or --mtls) it offers RPC-with-TLS (RFC 9289: an AUTH_TLS probe, then TLS 1.3 with ALPN "
                + "sunrpc on the same TCP connection) and KV answers only calls that came over TLS (--mtls: with a "
                + "client certificate) with AUTH_ERROR AUTH_TOOWEAK; GF-DUMP stays open. Without --keystore, "
                + "demonstration certificates are made at start in --tls-dir."})
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

    @Option(names = "--reuseport", description = "A listening socket per poller (SO_REUSEPORT): each poller accepts"
            + " its own connections.")
    private boolean reusePort;

    @Option(names = "--rpcbind", description = "Register every version with the local rpcbind; unregister at exit.")
    private boolean rpcbind;

    @Option(names = "--tls", description = "Offer RPC-with-TLS; KV requires it.")
    private boolean tls;

    @Option(names = "--mtls", description = "Offer RPC-with-TLS; KV requires it with a client certificate the "
            + "trusted authorities signed (its CN is the TLS user).")
    private boolean mtls;

    @Option(names = "--keystore", paramLabel = "FILE", description = "With --tls/--mtls: a PKCS#12 key store with "
            + "the server's key and certificate chain. Default: demonstration certificates made at start.")
    private Path keystore;

    @Option(names = "--storepass", paramLabel = "PASSWORD",
            description = "The key store's password (default: ${DEFAULT-VALUE}, the demo certificates').")
    private String storepass = DemoPki.PASSWORD;

    @Option(names = "--truststore", paramLabel = "FILE", description = "With --keystore: the authorities that "
            + "verify client certificates (PEM or PKCS#12). Default: the JDK's.")
    private Path truststore;

    @Option(names = "--tls-dir", paramLabel = "DIR", description = "Where the demonstration certificates go "
            + "(ca.pem, server.p12, client.p12). Default: a new temporary directory.")
    private Path tlsDir;

    @Override
    public Integer call() throws Exception {
        KvServer server = start(spec.commandLine().getOut());
        Statedump.onSignal(server::dumpState, spec.commandLine().getOut());
        Thread hook = new Thread(server::close, "rpc-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        server.awaitTermination();
        return 0;
    }

    /** Starts the server as the options say and prints where it listens (and, with TLS, what to trust). */
    KvServer start(PrintWriter out) throws Exception {
        if ((keystore != null || truststore != null || tlsDir != null) && !tls && !mtls) {
            throw new ParameterException(spec.commandLine(), "--keystore, --truststore and --tls-dir need --tls or "
                    + "--mtls");
        }
        if (keystore != null && tlsDir != null) {
            throw new ParameterException(spec.commandLine(), "--tls-dir is for demonstration certificates; "
                    + "--keystore names the server's own");
        }
        RpcTlsServer tlsServer = tls || mtls ? tlsServer(out) : null;
        SecurityPolicy kv = mtls ? RpcTlsPolicy.MUTUAL_TLS_REQUIRED : tls ? RpcTlsPolicy.TLS_REQUIRED
                : RpcTlsPolicy.PLAIN_ALLOWED;
        KvServer server = KvServer.start(host, port, pollers, rpcbind, tlsServer, kv,
                ListenerOptions.builder().reusePort(reusePort).build());
        out.println("listening on " + server.tcpAddress() + " (tcp, udp)");
        out.flush();
        return server;
    }

    private RpcTlsServer tlsServer(PrintWriter out) throws IOException, InterruptedException {
        Path keys = keystore;
        Path trusted = truststore;
        if (keys == null) {
            Path dir = tlsDir != null ? tlsDir : Files.createTempDirectory("ripcord-tls-demo");
            DemoPki.make(dir, host);
            keys = dir.resolve("server.p12");
            trusted = dir.resolve("ca.pem");
            out.println("TLS: demonstration certificates in " + dir + ": clients trust ca.pem (rpc ping --tls "
                    + "--truststore " + trusted + "); client.p12 is a client certificate, password " + DemoPki.PASSWORD);
        }
        RpcTlsServer server = RpcTlsServer.builder(TlsFiles.context(keys, storepass.toCharArray(), trusted))
                .clientAuth(TlsOptions.ClientAuth.WANT)
                .userMapper(CertificateUserMapper.subjectCommonName())
                .build();
        out.println("TLS: RPC-with-TLS offered (TLS 1.3, ALPN sunrpc); KV requires " + (mtls
                ? "mutual TLS (a client certificate)" : "TLS"));
        return server;
    }
}
