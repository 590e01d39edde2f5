package io.ripcord.rpc.auth.gss;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.AcceptStat;
import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.RejectStat;
import io.ripcord.rpc.ReplyHeader;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.SecurityPolicy;
import io.ripcord.rpc.Wire;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.testsupport.MitKdc;
import io.ripcord.transport.Listener;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile RPCSEC_GSS input sent by hand over real sockets to an {@code RpcService} with {@link GssAuthenticator}:
 * what goes back on the wire (or does not) each time, as RFC 2203 says, and that the connection serves on.
 */
@Tag("external")
@ExtendWith(KerberosRealm.class)
class GssDispatchHostileTest {

    private static final int MAX_CONTEXTS = 8;
    private static GssLogin alice;
    private static MitKdc kdc;

    private EventPool pool;
    private ExecutorService workers;
    private GssAcceptor acceptor;
    private Listener listener;
    private InetSocketAddress udp;
    private final GssKv kv = new GssKv();
    private int xid = 1000;

    @BeforeEach
    void setUp(MitKdc realm) throws Exception {
        if (alice == null) {
            kdc = realm;
            alice = GssLogin.fromKeytab(MitKdc.ALICE, kdc.keytab(MitKdc.ALICE));
        }
        pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("gss-hostile").build()).start();
        workers = Executors.newSingleThreadExecutor();
        acceptor = GssAcceptor.fromKeytab(kdc.serviceKeytab(), MitKdc.KV_SERVICE, GssServerOptions.builder()
                .maxContexts(MAX_CONTEXTS).maxTokenSize(16 * 1024).build());
        RpcService service = kv.service(GssAuthenticator.establishingOn(acceptor, workers), SecurityPolicy.ANY);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        listener = service.listen(pool, new InetSocketAddress(loopback, 0));
        udp = (InetSocketAddress) service.listenUdp(pool, new InetSocketAddress(loopback, 0)).address();
    }

    @AfterEach
    void tearDown() throws Exception {
        listener.close();
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        workers.shutdownNow();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(listener.address(), 5000);
        s.setSoTimeout(20_000);
        return s;
    }

    private static void send(Socket s, byte[] call) throws IOException {
        s.getOutputStream().write(Wire.record(call));
        s.getOutputStream().flush();
    }

    private static ReplyHeader read(Socket s) throws Exception {
        return ReplyHeader.parse(ByteBuffer.wrap(Wire.readRecord(s.getInputStream())));
    }

    private static ReplyHeader exchange(Socket s, byte[] call) throws Exception {
        send(s, call);
        return read(s);
    }

    private GssClientContext establish(Socket s, GssService service) throws Exception {
        GssInitiator init = GssInitiator.create(alice, "kv@localhost", service);
        while (true) {
            ReplyHeader r = exchange(s, GssWire.initCall(init.credential(), init.initArgument(), ++xid));
            assertEquals(AcceptStat.SUCCESS, r.acceptStat());
            if (init.handleReply(r.results(), r.verifierFlavor(), r.verifierBody())) {
                return init.context();
            }
        }
    }

    /** KV_GET("k") under {@code context} with sequence number {@code seq}, as the next xid. */
    private byte[] get(GssClientContext context, int seq) throws RpcGssException {
        XdrEncoder key = new XdrEncoder();
        key.writeOpaque(new byte[] {'k'}, 255);
        return GssWire.dataCall(context, GssProc.DATA, seq, ++xid, GssKv.GET, key.toBuffer());
    }

    private static int xidOf(byte[] call) {
        return ByteBuffer.wrap(call).getInt(0);
    }

    /** An accepted reply to {@code call} with the MIC of {@code seq} as its verifier. */
    private static void assertAnswered(byte[] call, int seq, int acceptStat, GssClientContext context,
                                       ReplyHeader reply) throws RpcGssException {
        assertEquals(xidOf(call), reply.xid(), "the reply answers the call");
        assertEquals(acceptStat, reply.acceptStat(), AcceptStat.name(reply.acceptStat()));
        context.checkReplyVerifier(seq, reply.verifierFlavor(), reply.verifierBody());
    }

    private static void assertDenied(int authStat, ReplyHeader reply) {
        assertTrue(reply.isDenied(), "MSG_DENIED");
        assertEquals(RejectStat.AUTH_ERROR, reply.rejectStat());
        assertEquals(authStat, reply.authStat(), RpcGss.authStatName(reply.authStat()));
    }

    @Test
    void aReplayedCallGetsNoReplyAndTheConnectionServesOn() throws Exception {
        try (Socket s = connect()) {
            GssClientContext c = establish(s, GssService.INTEGRITY);
            byte[] first = get(c, 1);
            assertAnswered(first, 1, AcceptStat.SUCCESS, c, exchange(s, first));
            byte[] next = get(c, 2);
            send(s, first);
            // Replies come in order: had the replay been answered, its reply would come first.
            assertAnswered(next, 2, AcceptStat.SUCCESS, c, exchange(s, next));
        }
        assertEquals(2, kv.callers.size());
    }

    @Test
    void aSequenceNumberBelowTheWindowGetsNoReplyAndOneInsideIsServed() throws Exception {
        try (Socket s = connect()) {
            GssClientContext c = establish(s, GssService.NONE);
            byte[] high = get(c, 300);
            assertAnswered(high, 300, AcceptStat.SUCCESS, c, exchange(s, high));
            send(s, get(c, 300 - GssServerOptions.defaults().sequenceWindow()));
            byte[] inside = get(c, 299);
            assertAnswered(inside, 299, AcceptStat.SUCCESS, c, exchange(s, inside));
        }
    }

    @Test
    void aForgedHeaderChecksumIsCredProblemAndDoesNotUseUpTheSequenceNumber() throws Exception {
        try (Socket s = connect()) {
            GssClientContext c = establish(s, GssService.PRIVACY);
            byte[] genuine = get(c, 1);
            byte[] forged = genuine.clone();
            forged[GssWire.parse(genuine).header().remaining() + 8 + 20] ^= 0x01; // inside the MIC
            assertDenied(RpcGss.RPCSEC_GSS_CREDPROBLEM, exchange(s, forged));
            assertAnswered(genuine, 1, AcceptStat.SUCCESS, c, exchange(s, genuine));
        }
    }

    @Test
    void aFlippedByteInProtectedArgumentsIsGarbageArgsWithTheContextsVerifier() throws Exception {
        try (Socket s = connect()) {
            for (GssService service : new GssService[] {GssService.INTEGRITY, GssService.PRIVACY}) {
                GssClientContext c = establish(s, service);
                byte[] call = get(c, 1);
                call[call.length - 12] ^= 0x40;
                assertAnswered(call, 1, AcceptStat.GARBAGE_ARGS, c, exchange(s, call));
            }
        }
        assertEquals(0, kv.callers.size(), "no actor ran");
    }

    @Test
    void anUnknownHandleIsCredProblem() throws Exception {
        try (Socket s = connect()) {
            byte[] handle = new byte[16];
            new SecureRandom().nextBytes(handle);
            GssCredential stranger = new GssCredential(GssProc.DATA, 1, GssService.NONE, handle);
            XdrEncoder e = new XdrEncoder();
            e.writeInt(++xid);
            e.writeInt(0);
            e.writeInt(2);
            e.writeInt(GssKv.PROG);
            e.writeInt(GssKv.VERS);
            e.writeInt(GssKv.GET);
            e.writeInt(AuthFlavor.RPCSEC_GSS);
            e.writeOpaque(stranger.toBytes(), AuthFlavor.MAX_BODY);
            e.writeInt(AuthFlavor.RPCSEC_GSS);
            e.writeOpaque(new byte[28], AuthFlavor.MAX_BODY);
            e.writeOpaque(new byte[] {'k'}, 255);
            assertDenied(RpcGss.RPCSEC_GSS_CREDPROBLEM, exchange(s, GssWire.bytes(e)));
        }
    }

    @Test
    void continueInitForNoContextIsCredProblemFromTheCreationThread() throws Exception {
        try (Socket s = connect()) {
            byte[] handle = new byte[16];
            new SecureRandom().nextBytes(handle);
            GssCredential stranger = new GssCredential(GssProc.CONTINUE_INIT, 0, GssService.NONE, handle);
            assertDenied(RpcGss.RPCSEC_GSS_CREDPROBLEM, exchange(s, GssWire.initCall(stranger, new byte[4], ++xid)));
            GssClientContext c = establish(s, GssService.NONE); // the connection serves on
            byte[] call = get(c, 1);
            assertAnswered(call, 1, AcceptStat.SUCCESS, c, exchange(s, call));
        }
    }

    @Test
    void anOversizedTokenIsGarbageArgsAndNoContextIsKept() throws Exception {
        GssCredential init = new GssCredential(GssProc.INIT, 0, GssService.NONE, new byte[0]);
        try (Socket s = connect()) {
            byte[] promisesTwoGigabytes = ByteBuffer.allocate(64).putInt(0, 0x7fff_fff0).array();
            byte[] call = GssWire.initCall(init, promisesTwoGigabytes, ++xid);
            ReplyHeader r = exchange(s, call);
            assertEquals(xidOf(call), r.xid());
            assertEquals(AcceptStat.GARBAGE_ARGS, r.acceptStat());

            byte[] tooLong = ByteBuffer.allocate(4 + 100_000).putInt(0, 100_000).array();
            call = GssWire.initCall(init, tooLong, ++xid);
            r = exchange(s, call);
            assertEquals(xidOf(call), r.xid());
            assertEquals(AcceptStat.GARBAGE_ARGS, r.acceptStat());
            assertEquals(0, acceptor.contextCount());

            GssClientContext c = establish(s, GssService.NONE); // the connection serves on
            byte[] call2 = get(c, 1);
            assertAnswered(call2, 1, AcceptStat.SUCCESS, c, exchange(s, call2));
        }
    }

    @Test
    void contextCreationOnAnotherProcedureOrAnUndecodableCredentialIsBadCred() throws Exception {
        try (Socket s = connect()) {
            GssInitiator init = GssInitiator.create(alice, "kv@localhost", GssService.NONE);
            byte[] onGet = GssWire.initCall(init.credential(), init.initArgument(), ++xid);
            ByteBuffer.wrap(onGet).putInt(20, GssKv.GET);
            assertDenied(AuthStat.AUTH_BADCRED, exchange(s, onGet));

            byte[] version2 = GssWire.initCall(init.credential(), init.initArgument(), ++xid);
            ByteBuffer.wrap(version2).putInt(32, 2); // rpc_gss_cred_t's version, after the credential's length
            assertDenied(AuthStat.AUTH_BADCRED, exchange(s, version2));
            assertEquals(0, acceptor.contextCount());
        }
    }

    @Test
    void destroyIsAnsweredWithTheVerifierThenTheHandleIsUnknown() throws Exception {
        try (Socket s = connect()) {
            GssClientContext c = establish(s, GssService.INTEGRITY);
            XdrEncoder none = new XdrEncoder();
            byte[] destroy = GssWire.dataCall(c, GssProc.DESTROY, 1, ++xid, 0, none.toBuffer());
            ReplyHeader r = exchange(s, destroy);
            assertAnswered(destroy, 1, AcceptStat.SUCCESS, c, r);
            assertEquals(0, c.unwrapResults(1, r.results()).remaining(), "void results, with their checksum");
            // The server forgets the context just after it sends the reply (building the reply needs the context's
            // keys), so the reply may arrive here before the context is gone.
            await().atMost(Duration.ofSeconds(10)).until(() -> acceptor.contextCount() == 0);
            assertDenied(RpcGss.RPCSEC_GSS_CREDPROBLEM, exchange(s, get(c, 2)));
        }
    }

    @Test
    void aContextFloodKeepsTheTableBoundedAndTheContextInUseServed() throws Exception {
        try (Socket s = connect()) {
            GssClientContext busy = establish(s, GssService.NONE);
            int seq = 0;
            List<GssClientContext> flood = new ArrayList<>();
            for (int i = 0; i < 3 * MAX_CONTEXTS; i++) {
                flood.add(establish(s, GssService.NONE));
                assertTrue(acceptor.contextCount() <= MAX_CONTEXTS, "contexts held: " + acceptor.contextCount());
                byte[] call = get(busy, ++seq);
                assertAnswered(call, seq, AcceptStat.SUCCESS, busy, exchange(s, call));
            }
            assertEquals(MAX_CONTEXTS, acceptor.contextCount());
            assertDenied(RpcGss.RPCSEC_GSS_CREDPROBLEM, exchange(s, get(flood.get(0), 1)));
            GssClientContext late = flood.get(flood.size() - 1);
            byte[] call = get(late, 1);
            assertAnswered(call, 1, AcceptStat.SUCCESS, late, exchange(s, call));
        }
    }

    @Test
    void overUdpACallIsServedAndItsReplayDropped() throws Exception {
        GssClientContext c;
        try (Socket s = connect()) {
            c = establish(s, GssService.PRIVACY); // contexts are not bound to a transport
        }
        try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            d.setSoTimeout(20_000);
            byte[] first = get(c, 1);
            assertAnswered(first, 1, AcceptStat.SUCCESS, c, datagram(d, first));
            d.send(new DatagramPacket(first, first.length, udp));
            byte[] next = get(c, 2);
            assertAnswered(next, 2, AcceptStat.SUCCESS, c, datagram(d, next));
        }
        assertEquals(2, kv.callers.size());
    }

    private ReplyHeader datagram(DatagramSocket d, byte[] call) throws Exception {
        d.send(new DatagramPacket(call, call.length, udp));
        byte[] buffer = new byte[65_536];
        DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
        d.receive(reply);
        return ReplyHeader.parse(ByteBuffer.wrap(buffer, 0, reply.getLength()));
    }
}
