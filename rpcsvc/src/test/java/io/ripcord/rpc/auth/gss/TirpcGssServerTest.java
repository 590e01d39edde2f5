package io.ripcord.rpc.auth.gss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcClientOptions;
import io.ripcord.testsupport.MitKdc;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our {@code RpcClient} with {@link GssClient} against a server no one here wrote: {@code rpcgen}'s dispatcher
 * for {@code kv.x} linked with libtirpc's RPCSEC_GSS server side ({@code svcauth_gss_set_svc_name}), key tab
 * from {@code KRB5_KTNAME}: context creation, KV_PUT and KV_GET under krb5, krb5i and krb5p with every reply's
 * verifier checked and its results unwrapped, the server's view of the caller ({@code rpc_gss_getcred}) read
 * back from its output, and DESTROY on close.
 */
@Tag("external")
@ExtendWith(KerberosRealm.class)
class TirpcGssServerTest {

    private static MitKdc kdc;
    private static Path work;
    private static Path server;
    private static GssLogin alice;

    @BeforeEach
    void buildServer(MitKdc realm) throws Exception {
        if (alice != null) {
            return;
        }
        kdc = realm;
        work = kdc.dir().resolve("tirpc-server");
        server = KvGssProgram.build(work, "-m", "kv_svc.c", "kv_gss_server.c", "-lgssapi_krb5");
        alice = GssLogin.fromKeytab(MitKdc.ALICE, kdc.keytab(MitKdc.ALICE));
    }

    @AfterAll
    static void removeBuild() throws IOException {
        if (work != null) {
            MitKdc.deleteTree(work);
        }
    }

    @ParameterizedTest
    @EnumSource(GssService.class)
    void ourClientCallsALibtirpcServerUnderEachService(GssService service) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(server.toString(), "kv@localhost").directory(work.toFile())
                .redirectErrorStream(true);
        pb.environment().put("KRB5_CONFIG", kdc.krb5Conf().toString());
        pb.environment().put("KRB5_KTNAME", "FILE:" + kdc.serviceKeytab());
        pb.environment().put("KRB5RCACHEDIR", kdc.dir().toString());
        pb.environment().put("KRB5CCNAME", "FILE:" + kdc.dir().resolve("ccache-tirpc-server"));
        Process p = pb.start();
        EventPool pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("tirpc-server")
                .build()).start();
        try {
            p.getOutputStream().close();
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = lines.readLine();
            assertTrue(first != null && first.startsWith("port "), "server said: " + first);
            int port = Integer.parseInt(first.substring(5).trim());

            byte[] value = ("value-under-" + service.krb5Name()).getBytes(StandardCharsets.US_ASCII);
            try (RpcClient c = RpcClient.connect(pool, new InetSocketAddress("127.0.0.1", port),
                    RpcClientOptions.builder().callTimeout(Duration.ofSeconds(20))
                            .security(GssClient.builder(alice, "kv@localhost").program(GssKv.PROG, GssKv.VERS)
                                    .service(service).build())
                            .build()).get(30, TimeUnit.SECONDS)) {
                boolean added = c.callSync(GssKv.PROG, GssKv.VERS, GssKv.PUT, GssKv::writePair,
                        new byte[][] {"greeting".getBytes(StandardCharsets.US_ASCII), value}, d -> d.readBoolean());
                assertTrue(added);
                assertArrayEquals(value, c.callSync(GssKv.PROG, GssKv.VERS, GssKv.GET, GssKv::writeKey, "greeting",
                        GssKv::readGetResult));
            }
            assertEquals("put greeting by " + MitKdc.ALICE, lines.readLine());
            assertEquals("get greeting by " + MitKdc.ALICE, lines.readLine());
        } finally {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
