package io.ripcord.examples.rpc;

import static io.ripcord.examples.rpc.RpcCli.hostPort;
import static io.ripcord.examples.rpc.RpcCli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.examples.Main;
import io.ripcord.examples.kv.KvServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code rpc-server --tls} with the demonstration certificates it makes at start, {@code --mtls} with the same
 * certificates given as files, and {@code rpc ping|call --tls} against them: KV answers only over TLS (with a client certificate under
 * {@code --mtls}), GF-DUMP and version discovery stay open.
 */
class RpcTlsCommandTest {

    private static final String KV = "0x20000B0B";
    /** KV_GET of the key "k" (kv_key: length 1, "k", padding). */
    private static final String GET_K = "00000001 6b000000";

    private static Path dir;
    private static KvServer tls;
    private static KvServer mtls;
    private static String tlsServer;
    private static String mtlsServer;

    @BeforeAll
    static void startServers() throws Exception {
        dir = Files.createTempDirectory("rpc-tls-cmd");
        tls = start("rpc-server", "--port", "0", "--tls", "--tls-dir", dir.toString());
        // The same certificates, given as files: the path a real deployment takes.
        mtls = start("rpc-server", "--port", "0", "--mtls", "--keystore", dir.resolve("server.p12").toString(),
                "--truststore", dir.resolve("ca.pem").toString());
        tlsServer = hostPort(tls.tcpAddress());
        mtlsServer = hostPort(mtls.tcpAddress());
    }

    /** Parses an {@code rpc-server} command line and starts what it describes, without waiting for a signal. */
    private static KvServer start(String... args) throws Exception {
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args);
        RpcServerCommand command = (RpcServerCommand) parsed.subcommand().commandSpec().userObject();
        StringWriter out = new StringWriter();
        KvServer server = command.start(new PrintWriter(out, true));
        List<String> lines = out.toString().lines().toList();
        assertTrue(lines.get(lines.size() - 2).startsWith("TLS: RPC-with-TLS offered"), out.toString());
        assertTrue(lines.get(lines.size() - 1).startsWith("listening on "), out.toString());
        return server;
    }

    @AfterAll
    static void stopServers() throws Exception {
        tls.close();
        mtls.close();
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String trust() {
        return dir.resolve("ca.pem").toString();
    }

    /** A self-signed certificate (PEM) that signed neither server's certificate. */
    private static String otherAuthority() throws Exception {
        return Path.of(RpcTlsCommandTest.class.getResource("other-ca.pem").toURI()).toString();
    }

    @Test
    void pingAndCallWithTlsReachKvWhichRefusesPlaintextWithAuthTooWeak() {
        RpcCli.Result ping = run("rpc", "ping", "--tls", "--truststore", trust(), tlsServer, KV);
        assertEquals(0, ping.exit(), ping.toString());
        assertEquals(List.of("program 536873739 version 1 ready and waiting",
                "program 536873739 version 2 ready and waiting"), ping.lines());

        RpcCli.Result get = run("rpc", "call", "--tls", "--truststore", trust(), tlsServer, KV, "1", "2",
                "--hex", GET_K);
        assertEquals(0, get.exit(), get.toString());
        assertEquals("SUCCESS (4 result bytes)", get.lines().get(0), "kv_get_result FALSE: no such key");

        RpcCli.Result plain = run("rpc", "call", tlsServer, KV, "1", "2", "--hex", GET_K);
        assertEquals(1, plain.exit(), plain.toString());
        assertEquals("AUTH_ERROR AUTH_TOOWEAK", plain.lines().get(0));
        assertEquals(0, run("rpc", "ping", tlsServer, "123451501", "1").exit(), "GF-DUMP stays open");
    }

    @Test
    void mutualTlsNeedsTheDemoClientCertificate() {
        RpcCli.Result withCert = run("rpc", "call", "--tls", "--truststore", trust(), "--keystore",
                dir.resolve("client.p12").toString(), mtlsServer, KV, "2", "2", "--hex", GET_K);
        assertEquals(0, withCert.exit(), withCert.toString());
        RpcCli.Result without = run("rpc", "call", "--tls", "--truststore", trust(), mtlsServer, KV, "2", "2",
                "--hex", GET_K);
        assertEquals(1, without.exit(), without.toString());
        assertEquals("AUTH_ERROR AUTH_TOOWEAK", without.lines().get(0));
    }

    @Test
    void theServerIsVerifiedAgainstTheCertificatesGiven() throws Exception {
        RpcCli.Result wrongCa = run("rpc", "ping", "--tls", "--truststore", otherAuthority(), tlsServer, KV, "1");
        assertEquals(1, wrongCa.exit(), wrongCa.toString());
        assertTrue(wrongCa.err().contains("TLS handshake"), wrongCa.toString());
        RpcCli.Result wrongName = run("rpc", "ping", "--tls", "--truststore", trust(), "--server-name",
                "kv.example.com", tlsServer, KV, "1");
        assertEquals(1, wrongName.exit(), wrongName.toString());
    }

    @Test
    void tlsAgainstAServerThatDoesNotOfferItFailsClearly() throws Exception {
        try (KvServer plain = KvServer.start("127.0.0.1", 0, 1, false)) {
            RpcCli.Result r = run("rpc", "ping", "--tls", "--truststore", trust(), hostPort(plain.tcpAddress()),
                    KV, "1");
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.err().contains("does not offer RPC-with-TLS"), r.toString());
        }
    }

    @Test
    void tlsFilesWithoutTlsAreAUsageError() {
        assertEquals(2, run("rpc", "ping", "--truststore", trust(), tlsServer, KV).exit());
        assertEquals(2, run("rpc", "call", "--server-name", "x", tlsServer, KV, "1", "0").exit());
    }
}
