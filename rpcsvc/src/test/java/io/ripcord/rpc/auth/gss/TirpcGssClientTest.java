package io.ripcord.rpc.auth.gss;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.SecurityPolicy;
import io.ripcord.testsupport.External;
import io.ripcord.testsupport.MitKdc;
import io.ripcord.transport.Listener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A C client no one here wrote the RPC code of: {@code rpcgen} stubs from {@code kv.x}, linked with libtirpc,
 * authenticating with libtirpc's RPCSEC_GSS ({@code authgss_create_default}) from a ticket cache filled by
 * {@code kinit}, against our {@code RpcService} with {@link GssAuthenticator}, through the real dispatch: context
 * creation, KV_PUT and KV_GET under krb5, krb5i and krb5p (the principal and service each actor saw), and the
 * DESTROY libtirpc sends when the client is destroyed.
 */
@Tag("external")
@ExtendWith(KerberosRealm.class)
class TirpcGssClientTest {

    private static MitKdc kdc;
    private static Path work;
    private static Path client;
    private static Path ticketCache;

    private EventPool pool;
    private ExecutorService workers;

    @BeforeEach
    void buildClient(MitKdc realm) throws Exception {
        if (client == null) {
            kdc = realm;
            Path kinit = External.requireExecutables("krb5-user", "kinit").get(0);
            work = kdc.dir().resolve("tirpc-client");
            client = KvGssProgram.build(work, "-l", "kv_clnt.c", "kv_gss_client.c");
            ticketCache = kdc.kinit(kinit, MitKdc.ALICE, "ccache-tirpc");
        }
        pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("tirpc-client").build())
                .start();
        workers = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stop() throws Exception {
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        workers.shutdownNow();
    }

    @AfterAll
    static void removeBuild() throws IOException {
        if (work != null) {
            MitKdc.deleteTree(work);
        }
    }

    @ParameterizedTest
    @EnumSource(GssService.class)
    void libtirpcClientCallsOurServiceUnderEachService(GssService service) throws Exception {
        GssAcceptor acceptor = GssAcceptor.fromKeytab(kdc.serviceKeytab(), MitKdc.KV_SERVICE,
                GssServerOptions.defaults());
        GssKv kv = new GssKv();
        Listener listener = kv.service(GssAuthenticator.establishingOn(acceptor, workers), SecurityPolicy.ANY)
                .listen(pool, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try {
            String value = "value-under-" + service.krb5Name();
            ProcessBuilder pb = new ProcessBuilder(client.toString(), "127.0.0.1",
                    Integer.toString(((InetSocketAddress) listener.address()).getPort()), service.name().toLowerCase(),
                    "kv@localhost", "greeting", value)
                    .directory(work.toFile()).redirectErrorStream(true);
            pb.environment().put("KRB5_CONFIG", kdc.krb5Conf().toString());
            pb.environment().put("KRB5CCNAME", "FILE:" + ticketCache);
            pb.environment().put("KRB5RCACHEDIR", kdc.dir().toString());
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "C client still running:\n" + out);

            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("put: true"), out);
            assertTrue(out.contains("get: " + value), out);
            GssCaller alice = new GssCaller(new GssPrincipal(MitKdc.ALICE), service);
            assertEquals(List.of(alice, alice), kv.callers, "KV_PUT and KV_GET, each by alice under " + service);
            assertArrayEquals(value.getBytes(StandardCharsets.UTF_8), kv.store.get("greeting"));
            assertEquals(1, kv.count(GssProc.INIT), out);
            assertEquals(2, kv.count(GssProc.DATA), out);
            assertEquals(1, kv.count(GssProc.DESTROY), "auth_destroy sends DESTROY");
            await().atMost(Duration.ofSeconds(10)).until(() -> acceptor.contextCount() == 0);
        } finally {
            listener.close();
        }
    }
}
