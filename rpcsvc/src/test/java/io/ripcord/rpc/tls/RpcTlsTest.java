package io.ripcord.rpc.tls;

import static io.ripcord.rpc.tls.TlsServerFixture.MUTUAL;
import static io.ripcord.rpc.tls.TlsServerFixture.PLAIN;
import static io.ripcord.rpc.tls.TlsServerFixture.PROG;
import static io.ripcord.rpc.tls.TlsServerFixture.TLS;
import static io.ripcord.rpc.tls.TlsServerFixture.WHO;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.client.AuthErrorException;
import io.ripcord.rpc.client.CallOptions;
import io.ripcord.rpc.client.ConnectionSetup;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcClientOptions;
import io.ripcord.rpc.client.RpcDisconnectedException;
import io.ripcord.testsupport.TestPki;
import io.ripcord.transport.DisconnectCause;
import io.ripcord.transport.ReconnectPolicy;
import io.ripcord.transport.TlsOptions;
import io.ripcord.transport.Transport;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our client against our server: the probe, the upgrade, calls over TLS with the client's identity, mutual TLS with
 * an accepted and a refused certificate, the per-program policies, reconnects, and both client policies against a
 * server that does not know AUTH_TLS.
 */
class RpcTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TestPki pki = TestPki.get();
    private EventPool pool;
    private TlsServerFixture server;

    @BeforeEach
    void setUp() {
        pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("tls-cli").build()).start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    private void serve(RpcTlsServer.Builder tls) throws Exception {
        server = new TlsServerFixture(tls == null ? null : tls.build());
    }

    private RpcTlsServer.Builder tlsServer() {
        return RpcTlsServer.builder(pki.serverContext()).userMapper(CertificateUserMapper.subjectCommonName());
    }

    private CompletableFuture<RpcClient> connect(ConnectionSetup setup) {
        return RpcClient.connect(pool, server.address(), RpcClientOptions.builder().connectionSetup(setup)
                .callTimeout(WAIT).build());
    }

    private static RpcTlsClient tlsClient(SSLContext context) {
        return RpcTlsClient.builder(context).build();
    }

    private static String who(RpcClient client, int version) throws Exception {
        return client.callSync(PROG, version, WHO, (e, v) -> { }, null, TlsServerFixture::readWho, CallOptions.defaults());
    }

    private static int refusal(RpcClient client, int version) {
        AuthErrorException e = assertThrows(AuthErrorException.class, () -> who(client, version));
        return e.authStat();
    }

    @Test
    void theProbeUpgradesTheConnectionAndActorsSeeTheClientsCertificateAndMappedUser() throws Exception {
        serve(tlsServer());
        try (RpcClient client = connect(tlsClient(pki.context(TestPki.ALICE))).get(10, TimeUnit.SECONDS)) {
            assertEquals("user=alice mutual=true uid=-1", who(client, MUTUAL));
            assertEquals("user=alice mutual=true uid=-1", who(client, TLS));
            assertEquals("user=alice mutual=true uid=-1", who(client, PLAIN));
        }
        assertEquals(1, server.identified.size(), "the programs heard one identified connection");
        TlsIdentity id = (TlsIdentity) server.identified.values().iterator().next();
        assertEquals(pki.chain(TestPki.ALICE), id.chain());
        assertEquals("TLSv1.3", id.protocol());
        assertEquals(3, server.actorRuns.get());
        assertEquals(id.toString(), server.identityAtCall.get(0), "known before the first call over TLS ran");
    }

    @Test
    void aClientWithoutCertificateGetsTlsProgramsAndAuthTooWeakFromMutualOnes() throws Exception {
        serve(tlsServer());
        try (RpcClient client = connect(tlsClient(pki.clientContext())).get(10, TimeUnit.SECONDS)) {
            assertEquals("user=- mutual=false uid=-1", who(client, TLS));
            assertEquals(AuthStat.AUTH_TOOWEAK, refusal(client, MUTUAL));
        }
        assertEquals(1, server.actorRuns.get(), "the refused call ran no actor");
    }

    @Test
    void plaintextCallsRunWherePlaintextIsAllowedAndGetAuthTooWeakElsewhere() throws Exception {
        serve(tlsServer());
        try (RpcClient client = connect(null).get(10, TimeUnit.SECONDS)) {
            assertEquals("user=- mutual=false uid=-1", who(client, PLAIN));
            assertEquals(AuthStat.AUTH_TOOWEAK, refusal(client, TLS));
            assertEquals(AuthStat.AUTH_TOOWEAK, refusal(client, MUTUAL));
        }
        assertEquals(1, server.actorRuns.get());
        assertTrue(server.identified.isEmpty());
    }

    @Test
    void aCertificateNoTrustStoreHoldsIsRefusedAndNothingIsServed() throws Exception {
        serve(tlsServer());
        assertRefused(connect(tlsClient(pki.insistingContext(TestPki.MALLORY))));
    }

    @Test
    void aJdkClientWhoseCertificateTheServerWouldNotTrustSendsNoneAndMutualProgramsRefuseIt() throws Exception {
        serve(tlsServer());
        try (RpcClient client = connect(tlsClient(pki.context(TestPki.MALLORY))).get(10, TimeUnit.SECONDS)) {
            assertEquals("user=- mutual=false uid=-1", who(client, TLS));
            assertEquals(AuthStat.AUTH_TOOWEAK, refusal(client, MUTUAL));
        }
    }

    @Test
    void needClientAuthRefusesAClientWithoutCertificateDuringTheHandshake() throws Exception {
        serve(tlsServer().clientAuth(TlsOptions.ClientAuth.NEED));
        assertRefused(connect(tlsClient(pki.clientContext())));
    }

    @Test
    void aCertificateTheMapperRefusesClosesTheConnection() throws Exception {
        serve(tlsServer().userMapper(c -> {
            throw new CertificateException("alice is not welcome here");
        }));
        assertRefused(connect(tlsClient(pki.context(TestPki.ALICE))));
    }

    /**
     * A TLS 1.3 client is done with its side of the handshake before the server has checked its certificate, so
     * the connect may succeed and the first call then meet the closed connection; either way the server served
     * nothing and dropped the connection.
     */
    private void assertRefused(CompletableFuture<RpcClient> connect) throws Exception {
        try {
            RpcClient client = connect.get(10, TimeUnit.SECONDS);
            try (client) {
                assertInstanceOf(RpcDisconnectedException.class, assertThrows(Exception.class,
                        () -> who(client, PLAIN)));
            }
        } catch (ExecutionException e) {
            RpcTlsException refused = assertInstanceOf(RpcTlsException.class, e.getCause());
            assertTrue(refused.isOffered(), "the server offered TLS; the handshake failed: " + refused);
        }
        await().atMost(WAIT).until(() -> server.listener.connectionCount() == 0);
        assertEquals(0, server.actorRuns.get());
        assertTrue(server.identified.isEmpty());
        assertEquals(1, server.disconnects.size());
        assertTrue(List.of(DisconnectCause.PROTOCOL, DisconnectCause.LOCAL_CLOSE).contains(server.disconnects.get(0)),
                "the server ended it: " + server.disconnects);
    }

    @Test
    void everyReconnectProbesAndUpgradesAgain() throws Exception {
        serve(tlsServer());
        List<Transport> prepared = new CopyOnWriteArrayList<>();
        RpcTlsClient tls = tlsClient(pki.context(TestPki.ALICE));
        ConnectionSetup counting = (caller, transport) -> {
            prepared.add(transport);
            return tls.prepare(caller, transport);
        };
        try (RpcClient client = RpcClient.connect(pool, server.address(), RpcClientOptions.builder()
                .connectionSetup(counting)
                .reconnectPolicy(ReconnectPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(100), 2, 0, 0))
                .build()).get(10, TimeUnit.SECONDS)) {
            assertEquals("user=alice mutual=true uid=-1", who(client, MUTUAL));
            assertTrue(prepared.get(0).tlsSession() != null, "the client's side runs TLS");
            server.identified.keySet().iterator().next().close(); // the server hangs up
            await().atMost(WAIT).until(() -> prepared.size() == 2 && client.isConnected());
            assertEquals("user=alice mutual=true uid=-1", who(client, MUTUAL));
            assertTrue(prepared.get(1).tlsSession() != null);
        }
        assertEquals(2, server.identified.size(), "each connection was upgraded and identified");
    }

    @Test
    void requiringTlsFailsClearlyAgainstAServerThatDoesNotKnowAuthTls() throws Exception {
        serve(null);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> connect(tlsClient(pki.clientContext())).get(10, TimeUnit.SECONDS));
        RpcTlsException refused = assertInstanceOf(RpcTlsException.class, e.getCause());
        assertFalse(refused.isOffered());
        assertTrue(refused.getMessage().contains("does not offer RPC-with-TLS")
                && refused.getMessage().contains("AUTH_BADCRED"), refused.getMessage());
        await().atMost(WAIT).until(() -> server.listener.connectionCount() == 0);
    }

    @Test
    void opportunisticTlsGoesOnInPlaintextWhenTheServerDoesNotKnowAuthTls() throws Exception {
        serve(null);
        RpcTlsClient opportunistic = RpcTlsClient.builder(pki.clientContext())
                .mode(RpcTlsClient.Mode.OPPORTUNISTIC).build();
        try (RpcClient client = connect(opportunistic).get(10, TimeUnit.SECONDS)) {
            assertEquals("user=- mutual=false uid=-1", who(client, PLAIN));
        }
    }

    @Test
    void theServersCertificateIsCheckedAgainstTheNameConnectedTo() throws Exception {
        serve(tlsServer());
        RpcTlsClient otherName = RpcTlsClient.builder(pki.clientContext()).serverName("nfs.example.com").build();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> connect(otherName).get(10, TimeUnit.SECONDS));
        RpcTlsException failed = assertInstanceOf(RpcTlsException.class, e.getCause());
        assertTrue(failed.isOffered());
        // By name: the certificate says localhost.
        InetSocketAddress byName = new InetSocketAddress("localhost", server.address().getPort());
        try (RpcClient client = RpcClient.connect(pool, byName, RpcClientOptions.builder()
                .connectionSetup(tlsClient(pki.clientContext())).build()).get(10, TimeUnit.SECONDS)) {
            assertEquals("user=- mutual=false uid=-1", who(client, TLS));
        }
    }

    @Test
    void aProbeForAProgramTheServerLacksIsStillAnswered() throws Exception {
        serve(tlsServer());
        RpcTlsClient probeElsewhere = RpcTlsClient.builder(pki.clientContext()).probe(100003, 4).build();
        try (RpcClient client = connect(probeElsewhere).get(10, TimeUnit.SECONDS)) {
            assertEquals("user=- mutual=false uid=-1", who(client, TLS));
            client.callSync(PROG, TLS, 0, (e, v) -> { }, null, RpcActor.VOID, CallOptions.defaults());
        }
    }
}
