package io.ripcord.rpc.auth.gss;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.SecurityPolicy;
import io.ripcord.rpc.auth.AuthSysCredential;
import io.ripcord.rpc.auth.Authenticator;
import io.ripcord.rpc.client.AuthErrorException;
import io.ripcord.rpc.client.Credential;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcClientOptions;
import io.ripcord.rpc.client.RpcDisconnectedException;
import io.ripcord.rpc.client.RpcGarbageReplyException;
import io.ripcord.testsupport.External;
import io.ripcord.testsupport.MitKdc;
import io.ripcord.transport.Listener;
import io.ripcord.transport.ReconnectPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our client and our server over loopback through the real dispatch, with the throw-away KDC: calls and replies
 * under krb5, krb5i and krb5p, the principal the actors see, the service policy, contexts renewed, kept across
 * reconnects and destroyed on close, and replies altered on the way refused.
 */
@Tag("external")
@ExtendWith(KerberosRealm.class)
class GssRpcTest {

    private static final String TARGET = "kv@localhost";
    private static MitKdc kdc;
    private static GssLogin alice;

    private EventPool pool;
    private ExecutorService workers;
    private final AtomicInteger establishedOnWorkers = new AtomicInteger();
    private final GssKv kv = new GssKv();
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeEach
    void setUp(MitKdc realm) throws Exception {
        if (alice == null) {
            kdc = realm;
            alice = GssLogin.fromKeytab(MitKdc.ALICE, kdc.keytab(MitKdc.ALICE));
        }
        pool = EventPool.create(EventPoolOptions.builder().pollers(2).threadNamePrefix("gss-rpc").build()).start();
        workers = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        workers.shutdownNow();
    }

    private static GssAcceptor acceptor(GssServerOptions options) throws RpcGssException {
        return GssAcceptor.fromKeytab(kdc.serviceKeytab(), MitKdc.KV_SERVICE, options);
    }

    /** Serves {@link GssKv} with contexts created on the workers. */
    private InetSocketAddress serve(GssAcceptor acceptor, SecurityPolicy policy) throws Exception {
        GssAuthenticator gss = GssAuthenticator.establishingOn(acceptor, task -> workers.execute(() -> {
            establishedOnWorkers.incrementAndGet();
            task.run();
        }));
        return listen(gss, policy);
    }

    private InetSocketAddress listen(Authenticator gss, SecurityPolicy policy) throws Exception {
        Listener l = kv.service(gss, policy).listen(pool, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        closeAfter.add(l::close);
        return (InetSocketAddress) l.address();
    }

    private RpcClient client(SocketAddress to, GssLogin login, GssService service) throws Exception {
        return client(to, RpcClientOptions.builder().security(gss(login, service)));
    }

    private static GssClient gss(GssLogin login, GssService service) {
        return GssClient.builder(login, TARGET).program(GssKv.PROG, GssKv.VERS).service(service).build();
    }

    private RpcClient client(SocketAddress to, RpcClientOptions.Builder options) throws Exception {
        RpcClient c = RpcClient.connect(pool, to, options.callTimeout(Duration.ofSeconds(20)).build())
                .get(30, TimeUnit.SECONDS);
        closeAfter.add(0, c);
        return c;
    }

    private static boolean put(RpcClient c, String key, byte[] value) throws Exception {
        return c.callSync(GssKv.PROG, GssKv.VERS, GssKv.PUT, GssKv::writePair,
                new byte[][] {key.getBytes(StandardCharsets.UTF_8), value}, d -> d.readBoolean());
    }

    private static byte[] get(RpcClient c, String key) throws Exception {
        return c.callSync(GssKv.PROG, GssKv.VERS, GssKv.GET, GssKv::writeKey, key, GssKv::readGetResult);
    }

    private static String whoami(RpcClient c) throws Exception {
        return c.callSync(GssKv.PROG, GssKv.VERS, GssKv.WHOAMI, d -> d.readString(1024));
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @ParameterizedTest
    @EnumSource(GssService.class)
    void callsAndRepliesUnderEachServiceCarryTheCallersPrincipal(GssService service) throws Exception {
        GssAcceptor acceptor = acceptor(GssServerOptions.defaults());
        RpcClient c = client(serve(acceptor, SecurityPolicy.ANY), alice, service);
        byte[] small = bytes(100, 1);
        byte[] large = bytes(64 * 1024, 2);

        assertTrue(put(c, "small", small));
        assertTrue(put(c, "large", large));
        assertFalse(put(c, "small", small), "a value replaced");
        assertArrayEquals(small, get(c, "small"));
        assertArrayEquals(large, get(c, "large"));
        assertNull(get(c, "missing"));
        assertEquals(MitKdc.ALICE + " (" + service.krb5Name() + ")", whoami(c));

        GssCaller alices = new GssCaller(new GssPrincipal(MitKdc.ALICE), service);
        assertEquals(List.of(alices, alices, alices, alices, alices, alices), kv.callers);
        assertEquals(1, kv.count(GssProc.INIT), "one context");
        assertEquals(1, establishedOnWorkers.get(), "created on the executor");
        assertEquals(1, acceptor.contextCount());
    }

    @Test
    void privacyKeepsArgumentsAndResultsOffTheWireAndIntegrityDoesNot() throws Exception {
        SocketAddress server = serve(acceptor(GssServerOptions.defaults()), SecurityPolicy.ANY);
        byte[] marker = "a value nobody on the wire may read".getBytes(StandardCharsets.US_ASCII);
        for (GssService service : new GssService[] {GssService.INTEGRITY, GssService.PRIVACY}) {
            try (ReplyTamperingProxy proxy = new ReplyTamperingProxy(server)) {
                RpcClient c = client(proxy.address(), alice, service);
                put(c, "secret-" + service, marker);
                assertArrayEquals(marker, get(c, "secret-" + service));
                boolean seen = GssExchangeTest.contains(proxy.callsSoFar(), marker);
                assertEquals(service == GssService.INTEGRITY, seen, service + ": the value on the wire in the clear");
                c.close();
            }
        }
    }

    @Test
    void contextsCreatedOnThePollerWorkToo() throws Exception {
        GssAcceptor acceptor = acceptor(GssServerOptions.defaults());
        RpcClient c = client(listen(GssAuthenticator.establishingInline(acceptor), SecurityPolicy.ANY), alice,
                GssService.PRIVACY);
        assertTrue(put(c, "k", bytes(10, 3)));
        assertEquals(MitKdc.ALICE + " (krb5p)", whoami(c));
        assertEquals(0, establishedOnWorkers.get());
    }

    @Test
    void aTicketCacheLoginIsSeenAsItsOwnPrincipal() throws Exception {
        Path kinit = External.requireExecutables("krb5-user", "kinit").get(0);
        Path cache = kdc.kinit(kinit, MitKdc.BOB, "ccache-gss-rpc-bob");
        GssLogin bob = GssLogin.fromTicketCache(MitKdc.BOB, cache);
        RpcClient c = client(serve(acceptor(GssServerOptions.defaults()), SecurityPolicy.ANY), bob,
                GssService.INTEGRITY);
        assertEquals(MitKdc.BOB + " (krb5i)", whoami(c));
    }

    @Test
    void aPolicyRefusesWeakerServicesAndOtherFlavorsWithTooWeakButLetsNullThrough() throws Exception {
        SocketAddress server = serve(acceptor(GssServerOptions.defaults()), GssSecurity.atLeast(GssService.PRIVACY));

        RpcClient sealed = client(server, alice, GssService.PRIVACY);
        assertTrue(put(sealed, "k", bytes(10, 4)));

        RpcClient signed = client(server, alice, GssService.INTEGRITY);
        ExecutionException e = assertThrows(ExecutionException.class, () -> signed.call(GssKv.PROG, GssKv.VERS,
                GssKv.GET, GssKv::writeKey, "k", GssKv::readGetResult).get(20, TimeUnit.SECONDS));
        assertEquals(AuthStat.AUTH_TOOWEAK, assertInstanceOf(AuthErrorException.class, e.getCause()).authStat());

        RpcClient unix = client(server, RpcClientOptions.builder().credential(Credential.authSys(
                new AuthSysCredential(0, "host", 1000, 1000, new int[0]))));
        e = assertThrows(ExecutionException.class, () -> unix.call(GssKv.PROG, GssKv.VERS, GssKv.GET,
                GssKv::writeKey, "k", GssKv::readGetResult).get(20, TimeUnit.SECONDS));
        assertEquals(AuthStat.AUTH_TOOWEAK, assertInstanceOf(AuthErrorException.class, e.getCause()).authStat());
        unix.callSync(GssKv.PROG, GssKv.VERS, 0, RpcActor.VOID); // NULL answers anyone

        assertEquals(1, kv.callers.size(), "only the sealed call reached an actor");
    }

    @Test
    void anExpiredContextIsRenewedAndTheCallSentOnceMore() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        GssAcceptor acceptor = acceptor(GssServerOptions.builder().contextLifetime(Duration.ofMinutes(10))
                .build()).withClock(now::get);
        RpcClient c = client(serve(acceptor, SecurityPolicy.ANY), alice, GssService.INTEGRITY);
        assertTrue(put(c, "k", bytes(10, 5)));
        now.addAndGet(Duration.ofMinutes(11).toNanos());

        assertArrayEquals(bytes(10, 5), get(c, "k"), "answered after CTXPROBLEM, a new context and a resend");
        assertEquals(2, kv.count(GssProc.INIT));
        assertEquals(3, kv.count(GssProc.DATA), "the PUT, the denied GET and its resend");
        assertEquals(1, acceptor.contextCount(), "the expired context is gone");
    }

    @Test
    void anEvictedContextIsRenewedOnceForEveryCallDeniedWithIt() throws Exception {
        GssAcceptor acceptor = acceptor(GssServerOptions.builder().maxContexts(1).build());
        SocketAddress server = serve(acceptor, SecurityPolicy.ANY);
        RpcClient first = client(server, alice, GssService.NONE);
        assertTrue(put(first, "k", bytes(10, 6)));
        client(server, alice, GssService.NONE); // its context evicts the first client's

        List<CompletableFuture<byte[]>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(first.call(GssKv.PROG, GssKv.VERS, GssKv.GET, GssKv::writeKey, "k", GssKv::readGetResult));
        }
        for (CompletableFuture<byte[]> f : calls) {
            assertArrayEquals(bytes(10, 6), f.get(30, TimeUnit.SECONDS));
        }
        assertEquals(3, kv.count(GssProc.INIT), "two clients, and one renewal for twenty denied calls");
    }

    @Test
    void closingTheClientDestroysItsContext() throws Exception {
        GssAcceptor acceptor = acceptor(GssServerOptions.defaults());
        RpcClient c = client(serve(acceptor, SecurityPolicy.ANY), alice, GssService.PRIVACY);
        assertTrue(put(c, "k", bytes(10, 7)));
        assertEquals(1, acceptor.contextCount());
        c.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> acceptor.contextCount() == 0);
        assertEquals(1, kv.count(GssProc.DESTROY));
    }

    @Test
    void aReconnectKeepsTheContext() throws Exception {
        GssAcceptor acceptor = acceptor(GssServerOptions.defaults());
        RpcClient c = client(serve(acceptor, SecurityPolicy.ANY), RpcClientOptions.builder()
                .security(gss(alice, GssService.INTEGRITY))
                .reconnectPolicy(ReconnectPolicy.exponential(Duration.ofMillis(10), Duration.ofMillis(100), 2, 0, 0)));
        assertTrue(put(c, "k", bytes(10, 8)));
        ExecutionException hungUp = assertThrows(ExecutionException.class, () -> c.call(GssKv.PROG, GssKv.VERS,
                GssKv.HANG_UP, RpcActor.IGNORED).get(20, TimeUnit.SECONDS));
        assertInstanceOf(RpcDisconnectedException.class, hungUp.getCause());
        await().atMost(Duration.ofSeconds(10)).until(c::isConnected);

        assertArrayEquals(bytes(10, 8), get(c, "k"));
        assertEquals(1, kv.count(GssProc.INIT), "the context outlived the connection");
    }

    @Test
    void callsFromManyThreadsAtOnceAllSucceed() throws Exception {
        RpcClient c = client(serve(acceptor(GssServerOptions.defaults()), SecurityPolicy.ANY), alice,
                GssService.PRIVACY);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Boolean>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(callers.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        byte[] value = bytes(200, thread * 100 + i);
                        put(c, "t" + thread + "-" + i, value);
                        assertArrayEquals(value, get(c, "t" + thread + "-" + i));
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> f : done) {
                assertTrue(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(800, kv.callers.size());
    }

    @Test
    void aReplyWhoseVerifierOrResultsWereAlteredFailsItsCall() throws Exception {
        SocketAddress server = serve(acceptor(GssServerOptions.defaults()), SecurityPolicy.ANY);
        try (ReplyTamperingProxy proxy = new ReplyTamperingProxy(server)) {
            RpcClient c = client(proxy.address(), alice, GssService.INTEGRITY);
            assertTrue(put(c, "k", bytes(100, 9)));

            // Byte 24 is inside the verifier's MIC, after xid, REPLY, MSG_ACCEPTED, its flavor and length.
            proxy.alterNextReply(reply -> reply[24] ^= 1);
            ExecutionException e = assertThrows(ExecutionException.class, () -> c.call(GssKv.PROG, GssKv.VERS,
                    GssKv.GET, GssKv::writeKey, "k", GssKv::readGetResult).get(20, TimeUnit.SECONDS));
            assertEquals(AuthStat.AUTH_INVALIDRESP, assertInstanceOf(AuthErrorException.class, e.getCause())
                    .authStat());

            proxy.alterNextReply(reply -> reply[reply.length - 60] ^= 1); // inside the results
            e = assertThrows(ExecutionException.class, () -> c.call(GssKv.PROG, GssKv.VERS, GssKv.GET,
                    GssKv::writeKey, "k", GssKv::readGetResult).get(20, TimeUnit.SECONDS));
            assertInstanceOf(RpcGarbageReplyException.class, e.getCause());

            assertArrayEquals(bytes(100, 9), get(c, "k"), "untouched replies are fine");
        }
    }

    @Test
    void aServiceWithNoKerberosKeyForTheTargetFailsTheConnectWithTheReason() throws Exception {
        SocketAddress server = serve(acceptor(GssServerOptions.defaults()), SecurityPolicy.ANY);
        GssClient nowhere = GssClient.builder(alice, "nosuchservice@localhost").program(GssKv.PROG, GssKv.VERS).build();
        ExecutionException e = assertThrows(ExecutionException.class, () -> RpcClient.connect(pool, server,
                RpcClientOptions.builder().security(nowhere).build()).get(30, TimeUnit.SECONDS));
        RpcGssException cause = assertInstanceOf(RpcGssException.class, e.getCause());
        assertTrue(cause.getMessage().contains("nosuchservice"), cause.getMessage());
    }

    @Test
    void aContextCreationExecutorThatRefusesFailsTheConnect() throws Exception {
        SocketAddress server = serve(acceptor(GssServerOptions.defaults()), SecurityPolicy.ANY);
        GssClient refusing = GssClient.builder(alice, TARGET).program(GssKv.PROG, GssKv.VERS)
                .establishOn(task -> {
                    throw new RejectedExecutionException("shut down");
                }).build();
        ExecutionException e = assertThrows(ExecutionException.class, () -> RpcClient.connect(pool, server,
                RpcClientOptions.builder().security(refusing).build()).get(30, TimeUnit.SECONDS));
        RpcGssException cause = assertInstanceOf(RpcGssException.class, e.getCause());
        assertTrue(cause.getMessage().contains("executor refused"), cause.getMessage());
    }

    @Test
    void aServerWithoutRpcsecGssFailsTheConnectSayingSo() throws Exception {
        Listener plain = io.ripcord.rpc.RpcService.create().listen(pool,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        closeAfter.add(plain::close);
        ExecutionException e = assertThrows(ExecutionException.class, () -> RpcClient.connect(pool, plain.address(),
                RpcClientOptions.builder().security(gss(alice, GssService.NONE)).build()).get(30, TimeUnit.SECONDS));
        RpcGssException cause = assertInstanceOf(RpcGssException.class, e.getCause());
        assertTrue(cause.getMessage().contains("may not accept RPCSEC_GSS"), cause.getMessage());
    }

    @Test
    void optionsRefuseACredentialBesideASecurityFlavor() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RpcClientOptions.builder()
                .credential(Credential.authSys(new AuthSysCredential(0, "h", 1, 1, new int[0])))
                .security(gss(alice, GssService.NONE)).build());
        assertTrue(e.getMessage().contains("security flavor"), e.getMessage());
    }
}
