package io.ripcord.rpc.auth.gss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.testsupport.MitKdc;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our client side against a server no one here wrote: {@code rpcgen}'s dispatcher for {@code kv.x} linked with
 * libtirpc's RPCSEC_GSS server side ({@code svcauth_gss_set_svc_name}), key tab from {@code KRB5_KTNAME}. The
 * calls are built by hand with the gss package's client pieces (what {@code RpcClient} will do in phase 2):
 * context creation, KV_PUT and KV_GET under krb5, krb5i and krb5p, reply verifiers and results checked, the
 * server's view of the caller's principal ({@code rpc_gss_getcred}) read back from its output. So libtirpc does
 * offer a usable RPCSEC_GSS server side.
 */
@Tag("external")
@ExtendWith(KerberosRealm.class)
class TirpcGssServerTest {

    private static final int KV_PUT = 1;
    private static final int KV_GET = 2;

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
        try {
            p.getOutputStream().close();
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = lines.readLine();
            assertTrue(first != null && first.startsWith("port "), "server said: " + first);
            int port = Integer.parseInt(first.substring(5).trim());

            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(30_000);
                GssInitiator initiator = GssInitiator.create(alice, "kv@localhost", service);
                int xid = 1000;
                Reply init;
                do {
                    init = exchange(s, GssWire.initCall(initiator.credential(), initiator.initArgument(), ++xid));
                } while (!initiator.handleReply(init.results(), init.verifierFlavor(), init.verifierBody()));
                GssClientContext context = initiator.context();

                byte[] value = ("value-under-" + service.krb5Name()).getBytes(StandardCharsets.US_ASCII);
                XdrEncoder put = new XdrEncoder();
                put.writeString("greeting", 255);
                put.writeOpaque(value, 1 << 20);
                XdrDecoder putResult = new XdrDecoder(call(s, context, ++xid, KV_PUT, put.toBuffer()));
                assertTrue(putResult.readBoolean());

                XdrEncoder get = new XdrEncoder();
                get.writeString("greeting", 255);
                XdrDecoder getResult = new XdrDecoder(call(s, context, ++xid, KV_GET, get.toBuffer()));
                assertTrue(getResult.readBoolean(), "found");
                assertArrayEquals(value, getResult.readOpaque(1 << 20));
                assertEquals(0, getResult.remaining());
            }
            assertEquals("put greeting by " + MitKdc.ALICE, lines.readLine());
            assertEquals("get greeting by " + MitKdc.ALICE, lines.readLine());
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A DATA call under {@code context}: its verifier checked, its results unwrapped. */
    private static ByteBuffer call(Socket s, GssClientContext context, int xid, int proc, ByteBuffer args)
            throws Exception {
        int seq = context.nextSequence();
        Reply reply = exchange(s, GssWire.dataCall(context, GssProc.DATA, seq, xid, proc, args));
        context.checkReplyVerifier(seq, reply.verifierFlavor(), reply.verifierBody());
        return context.unwrapResults(seq, reply.results());
    }

    /** An accepted, successful reply (RFC 5531 section 9), taken apart. */
    private record Reply(int verifierFlavor, ByteBuffer verifierBody, ByteBuffer results) {
    }

    private static Reply exchange(Socket s, byte[] call) throws IOException {
        byte[] record = new byte[call.length + 4];
        ByteBuffer.wrap(record).putInt(0x8000_0000 | call.length).put(call);
        s.getOutputStream().write(record);
        s.getOutputStream().flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        int mark = in.readInt();
        assertTrue(mark < 0, "single-fragment reply");
        byte[] reply = new byte[mark & 0x7fff_ffff];
        in.readFully(reply);
        XdrDecoder d = new XdrDecoder(ByteBuffer.wrap(reply));
        assertEquals(ByteBuffer.wrap(call).getInt(), d.readInt(), "xid");
        assertEquals(1, d.readInt(), "REPLY");
        int replyStat = d.readInt();
        if (replyStat != 0) {
            int rejectStat = d.readInt();
            throw new AssertionError("MSG_DENIED " + (rejectStat == 1 ? "AUTH_ERROR "
                    + RpcGss.authStatName(d.readInt()) : "RPC_MISMATCH"));
        }
        int verifierFlavor = d.readInt();
        ByteBuffer verifierBody = d.readOpaqueAsBuffer(AuthFlavor.MAX_BODY);
        assertEquals(0, d.readInt(), "accept_stat SUCCESS");
        return new Reply(verifierFlavor, verifierBody, ByteBuffer.wrap(reply, reply.length - d.remaining(),
                d.remaining()).slice());
    }
}
