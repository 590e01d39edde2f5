package io.ripcord.rpc.auth.gss;

import io.ripcord.testsupport.External;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.testsupport.MitKdc;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A C client no one here wrote the RPC code of: {@code rpcgen} stubs from {@code kv.x}, linked with libtirpc,
 * authenticating with libtirpc's RPCSEC_GSS ({@code authgss_create_default}) from a ticket cache filled by
 * {@code kinit}, talking to a loopback socket this test serves by hand with the gss package's pieces (what the
 * dispatch will do in phase 2): context creation, KV_PUT and KV_GET under krb5, krb5i and krb5p, and DESTROY.
 * The libtirpc build, its headers and MIT's GSS-API headers are the test's only C dependencies.
 */
@Tag("external")
@ExtendWith(KerberosRealm.class)
class TirpcGssClientTest {

    private static final int KV_PUT = 1;
    private static final int KV_GET = 2;

    private static MitKdc kdc;
    private static Path work;
    private static Path client;
    private static Path ticketCache;
    private static GssAcceptor acceptor;

    @BeforeEach
    void buildClient(MitKdc realm) throws Exception {
        if (acceptor != null) {
            return;
        }
        kdc = realm;
        Path kinit = External.requireExecutables("krb5-user", "kinit").get(0);
        work = kdc.dir().resolve("tirpc-client");
        client = KvGssProgram.build(work, "-l", "kv_clnt.c", "kv_gss_client.c");
        ticketCache = kdc.kinit(kinit, MitKdc.ALICE, "ccache-tirpc");
        acceptor = GssAcceptor.fromKeytab(kdc.serviceKeytab(), MitKdc.KV_SERVICE, GssServerOptions.defaults());
    }

    @AfterAll
    static void removeBuild() throws IOException {
        if (work != null) {
            MitKdc.deleteTree(work);
        }
    }

    @ParameterizedTest
    @EnumSource(GssService.class)
    void libtirpcClientEstablishesAContextAndCallsUnderEachService(GssService service) throws Exception {
        ExecutorService serverThread = Executors.newSingleThreadExecutor();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Future<List<String>> transcript = serverThread.submit(() -> {
                try (Socket s = listener.accept()) {
                    s.setSoTimeout(30_000);
                    return serve(s);
                }
            });
            String value = "value-under-" + service.krb5Name();
            ProcessBuilder pb = new ProcessBuilder(client.toString(), "127.0.0.1",
                    Integer.toString(listener.getLocalPort()), service.name().toLowerCase(), "kv@localhost",
                    "greeting", value)
                    .directory(work.toFile()).redirectErrorStream(true);
            pb.environment().put("KRB5_CONFIG", kdc.krb5Conf().toString());
            pb.environment().put("KRB5CCNAME", "FILE:" + ticketCache);
            pb.environment().put("KRB5RCACHEDIR", kdc.dir().toString());
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "C client still running:\n" + out);
            List<String> seen = transcript.get(60, TimeUnit.SECONDS);
            String both = "client:\n" + out + "\nserver saw: " + seen;

            assertEquals("INIT handle 0 bytes, NULL procedure, AUTH_NONE verifier", seen.get(0), both);
            assertEquals("context COMPLETE for " + MitKdc.ALICE, seen.get(1), both);
            assertEquals("DATA " + service + " KV_PUT greeting=" + value + " by " + MitKdc.ALICE, seen.get(2), both);
            assertEquals("DATA " + service + " KV_GET greeting by " + MitKdc.ALICE, seen.get(3), both);
            assertEquals("DESTROY", seen.get(4), both);
            assertEquals(0, p.exitValue(), both);
            assertTrue(out.contains("put: true"), both);
            assertTrue(out.contains("get: " + value), both);
        } finally {
            serverThread.shutdownNow();
        }
    }

    /** One connection, served with the gss package's pieces; returns what each call was. */
    private static List<String> serve(Socket s) throws Exception {
        List<String> transcript = new ArrayList<>();
        Map<String, byte[]> store = new HashMap<>();
        DataInputStream in = new DataInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        while (true) {
            byte[] call;
            try {
                call = readRecord(in);
            } catch (EOFException eof) {
                return transcript;
            }
            GssWire.ParsedCall c = GssWire.parse(call);
            GssCredential cred = c.credential();
            if (cred.proc() == GssProc.INIT || cred.proc() == GssProc.CONTINUE_INIT) {
                transcript.add(cred.proc() + " handle " + cred.handle().length + " bytes, "
                        + (c.proc() == 0 ? "NULL procedure" : "procedure " + c.proc()) + ", "
                        + (c.verifierFlavor() == AuthFlavor.AUTH_NONE ? "AUTH_NONE verifier" : "verifier "
                        + c.verifierFlavor()));
                GssInitReply reply = acceptor.establish(cred, c.arguments());
                XdrEncoder results = new XdrEncoder();
                reply.result().encode(results);
                transcript.add("context " + GssMajor.name(reply.result().gssMajor()).substring(6) + " for "
                        + MitKdc.ALICE);
                writeReply(out, c.xid(), reply.verifierFlavor(), reply.verifierBody(), results.toBuffer());
                continue;
            }
            GssServerContext context = acceptor.verifyCall(cred, c.header(), c.verifierFlavor(), c.verifierBody());
            ByteBuffer args = context.unwrapArguments(cred, c.arguments());
            XdrDecoder d = new XdrDecoder(args);
            XdrEncoder results = new XdrEncoder();
            if (cred.proc() == GssProc.DESTROY) {
                transcript.add("DESTROY");
            } else if (c.proc() == KV_PUT) {
                String key = d.readString(255);
                byte[] value = d.readOpaque(1 << 20);
                store.put(key, value);
                transcript.add("DATA " + cred.service() + " KV_PUT " + key + "=" + new String(value,
                        StandardCharsets.UTF_8) + " by " + context.principal());
                results.writeBoolean(true);
            } else if (c.proc() == KV_GET) {
                String key = d.readString(255);
                transcript.add("DATA " + cred.service() + " KV_GET " + key + " by " + context.principal());
                byte[] value = store.get(key);
                results.writeBoolean(value != null);
                if (value != null) {
                    results.writeOpaque(value, 1 << 20);
                }
            } else {
                transcript.add("DATA procedure " + c.proc());
            }
            XdrEncoder wrapped = new XdrEncoder();
            context.wrapResults(cred, results.toBuffer(), wrapped);
            writeReply(out, c.xid(), AuthFlavor.RPCSEC_GSS, context.replyVerifier(cred), wrapped.toBuffer());
            if (cred.proc() == GssProc.DESTROY) {
                acceptor.destroy(context);
            }
        }
    }

    private static byte[] readRecord(DataInputStream in) throws IOException {
        java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
        boolean last = false;
        while (!last) {
            int mark = in.readInt();
            last = mark < 0;
            int length = mark & 0x7fff_ffff;
            if (length > 1 << 20) {
                throw new IOException("fragment of " + length + " bytes");
            }
            byte[] fragment = new byte[length];
            in.readFully(fragment);
            record.write(fragment);
        }
        return record.toByteArray();
    }

    /** MSG_ACCEPTED / SUCCESS (RFC 5531 section 9) with a verifier and results, record-marked. */
    private static void writeReply(OutputStream out, int xid, int verifierFlavor, byte[] verifierBody,
            ByteBuffer results) throws IOException {
        XdrEncoder e = new XdrEncoder();
        int mark = e.reserve(4);
        e.writeInt(xid);
        e.writeInt(1);
        e.writeInt(0);
        e.writeInt(verifierFlavor);
        e.writeOpaque(verifierBody, AuthFlavor.MAX_BODY);
        e.writeInt(0);
        e.writeFixedOpaque(results);
        e.patchInt(mark, 0x8000_0000 | (e.size() - 4));
        out.write(GssWire.bytes(e));
        out.flush();
    }
}
