package io.ripcord.rpc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.client.CallOptions;
import io.ripcord.rpc.client.GfDumpClient;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcClientOptions;
import io.ripcord.rpc.client.RpcDisconnectedException;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.testsupport.External;
import io.ripcord.testsupport.TestPki;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * RPC-with-TLS against peers that are not the JDK: Python's {@code ssl} module, that is OpenSSL. A Python client
 * ({@code rpc_tls_client.py}) probes our server with raw bytes, checks the STARTTLS verifier, wraps the same socket
 * with TLS 1.3 and ALPN {@code sunrpc} and calls GF-DUMP and KV; a Python server ({@code rpc_tls_server.py}) does
 * the same for our {@link RpcTlsClient}.
 */
@Tag("external")
class RpcTlsPythonPeersTest {

    private static final int KV = 0x20000B0B;
    private static final int KV_PUT = 1;
    private static final int KV_GET = 2;

    private final TestPki pki = TestPki.get();
    private Path python;
    private Path scripts;
    private final List<Process> processes = new ArrayList<>();
    private EventPool pool;

    @BeforeEach
    void setUp() throws IOException {
        python = External.requireExecutable("python3", "python3");
        scripts = Files.createTempDirectory("rpc-tls-py");
        for (String script : List.of("rpc_wire.py", "rpc_tls_client.py", "rpc_tls_server.py")) {
            try (InputStream in = RpcTlsPythonPeersTest.class.getResourceAsStream(script)) {
                Files.copy(in, scripts.resolve(script), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("py-peer").build()).start();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (pool == null) {
            return; // skipped before anything was set up: no python3 here
        }
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        try (var files = Files.list(scripts)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(scripts);
    }

    /** kv.x's version 1 PUT and GET over a map, as the examples' KV store answers them. */
    private static RpcProgram kv() {
        Map<String, byte[]> store = new ConcurrentHashMap<>();
        return RpcProgram.builder(KV, 1, "KV")
                .security(RpcTlsPolicy.TLS_REQUIRED)
                .actor(RpcActor.of(KV_PUT, "KV_PUT", d -> new byte[][] {d.readOpaque(255), d.readOpaque(1 << 20)},
                        (call, pair) -> call.reply(store.put(new String(pair[0], StandardCharsets.UTF_8), pair[1])
                                == null, (e, v) -> e.writeBoolean(v))))
                .actor(RpcActor.of(KV_GET, "KV_GET", d -> d.readOpaque(255), (call, key) -> {
                    byte[] v = store.get(new String(key, StandardCharsets.UTF_8));
                    call.reply(v, (e, value) -> {
                        e.writeBoolean(value != null);
                        if (value != null) {
                            e.writeOpaque(value, 1 << 20);
                        }
                    });
                }))
                .build();
    }

    private List<String> runClient(InetSocketAddress server, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of(python.toString(), "rpc_tls_client.py", "127.0.0.1",
                Integer.toString(server.getPort()), pki.pem("ca.pem").toString()));
        command.addAll(Arrays.asList(more));
        Process p = new ProcessBuilder(command).directory(scripts.toFile()).redirectErrorStream(true).start();
        processes.add(p);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return List.of(out.strip().split("\n"));
    }

    @Test
    void aPythonClientProbesUpgradesAndCallsGfDumpAndKvOverTlsWithItsCertificate() throws Exception {
        try (TlsServerFixture server = new TlsServerFixture(RpcTlsServer.builder(pki.serverContext())
                .userMapper(CertificateUserMapper.emailLocalPart()).build())) {
            server.service.register(kv());
            List<String> out = runClient(server.address(), pki.pem("alice.pem").toString(),
                    pki.pem("alice.key").toString(), TlsServerFixture.PROG + ":" + TlsServerFixture.MUTUAL + ":"
                            + TlsServerFixture.WHO);
            assertEquals(List.of("probe STARTTLS", "tls TLSv1.3 sunrpc", "ping 0 0 0", "dump GF-DUMP,TLSTEST,TLSTEST,"
                    + "TLSTEST,KV", "put 1", "get 1 blue", "who user=alice mutual=true uid=-1"), out);
            assertEquals(1, server.identified.size());
        }
    }

    @Test
    void aPythonClientWithoutCertificateIsServedWhereTlsSuffices() throws Exception {
        try (TlsServerFixture server = new TlsServerFixture(RpcTlsServer.builder(pki.serverContext()).build())) {
            server.service.register(kv());
            List<String> out = runClient(server.address());
            assertEquals("get 1 blue", out.get(out.size() - 1));
            TlsIdentity id = (TlsIdentity) server.identified.values().iterator().next();
            assertFalse(id.isMutual());
        }
    }

    /** Starts the OpenSSL server in {@code mode}; its port. */
    private InetSocketAddress startServer(String mode) throws Exception {
        Process p = new ProcessBuilder(python.toString(), "rpc_tls_server.py", pki.pem("server.pem").toString(),
                pki.pem("server.key").toString(), pki.pem("ca.pem").toString(), mode)
                .directory(scripts.toFile()).redirectErrorStream(true).start();
        processes.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("listening "), "the server started: " + line);
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(line.substring(10).trim()));
    }

    private RpcClient connect(InetSocketAddress server, SSLContext context, RpcTlsClient.Mode mode) throws Exception {
        return RpcClient.connect(pool, server, RpcClientOptions.builder()
                .connectionSetup(RpcTlsClient.builder(context).mode(mode).build())
                .callTimeout(Duration.ofSeconds(10)).build()).get(10, TimeUnit.SECONDS);
    }

    private static String putAndGet(RpcClient client) throws Exception {
        byte[] key = "colour".getBytes(StandardCharsets.UTF_8);
        boolean created = client.callSync(KV, 1, KV_PUT, (e, v) -> {
            e.writeOpaque(key, 255);
            e.writeOpaque("green".getBytes(StandardCharsets.UTF_8), 1 << 20);
        }, null, XdrDecoder::readBoolean, CallOptions.defaults());
        String value = client.callSync(KV, 1, KV_GET, (e, v) -> e.writeOpaque(key, 255), null,
                RpcTlsPythonPeersTest::readGet, CallOptions.defaults());
        return created + " " + value;
    }

    private static String readGet(XdrDecoder d) throws XdrException {
        return d.readBoolean() ? new String(d.readOpaque(1 << 20), StandardCharsets.UTF_8) : null;
    }

    @Test
    void ourClientUpgradesWithAnOpenSslServerAndCallsGfDumpAndKv() throws Exception {
        InetSocketAddress server = startServer("--tls");
        try (RpcClient client = connect(server, pki.clientContext(), RpcTlsClient.Mode.REQUIRE)) {
            GfDumpClient.ping(client).get(10, TimeUnit.SECONDS);
            assertEquals("true green", putAndGet(client));
        }
    }

    @Test
    void anOpenSslServerThatRequiresACertificateAcceptsAliceAndRefusesAClientWithNone() throws Exception {
        InetSocketAddress server = startServer("--mtls");
        try (RpcClient client = connect(server, pki.context(TestPki.ALICE), RpcTlsClient.Mode.REQUIRE)) {
            assertEquals("true green", putAndGet(client));
        }
        // TLS 1.3: the client's side of the handshake is done before the server refuses; the refusal ends the
        // connection, at the connect or at the first call.
        try {
            RpcClient client = connect(server, pki.clientContext(), RpcTlsClient.Mode.REQUIRE);
            try (client) {
                assertInstanceOf(RpcDisconnectedException.class,
                        assertThrows(ExecutionException.class, () -> GfDumpClient.ping(client).get(10,
                                TimeUnit.SECONDS)).getCause());
            }
        } catch (ExecutionException refused) {
            assertTrue(assertInstanceOf(RpcTlsException.class, refused.getCause()).isOffered());
        }
    }

    @Test
    void againstAnOpenSslServerThatOffersNoTlsRequireFailsAndOpportunisticGoesOnInPlaintext() throws Exception {
        InetSocketAddress server = startServer("--no-tls");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> connect(server, pki.clientContext(), RpcTlsClient.Mode.REQUIRE));
        RpcTlsException refused = assertInstanceOf(RpcTlsException.class, e.getCause());
        assertFalse(refused.isOffered());
        assertTrue(refused.getMessage().contains("without the STARTTLS verifier"), refused.getMessage());
        try (RpcClient client = connect(server, pki.clientContext(), RpcTlsClient.Mode.OPPORTUNISTIC)) {
            assertEquals("true green", putAndGet(client));
        }
    }
}
