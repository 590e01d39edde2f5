package io.ripcord.rpc.auth.gss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.testsupport.MitKdc;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our initiator and our acceptor against the throw-away KDC, through encoded credentials, init results, call
 * headers and protected bodies, without RPC dispatch: context creation, krb5/krb5i/krb5p both ways, destroy.
 */
@Tag("external")
@ExtendWith(KerberosRealm.class)
class GssExchangeTest {

    private static final byte[] MARKER = "ripcord-plaintext-marker".getBytes(StandardCharsets.US_ASCII);

    private static MitKdc kdc;
    private static GssLogin alice;

    @BeforeEach
    void realm(MitKdc realm) throws RpcGssException {
        if (alice != null) {
            return;
        }
        kdc = realm;
        alice = GssLogin.fromKeytab(MitKdc.ALICE, kdc.keytab(MitKdc.ALICE));
    }

    private static GssAcceptor kvAcceptor() throws RpcGssException {
        return GssAcceptor.fromKeytab(kdc.serviceKeytab(), MitKdc.KV_SERVICE, GssServerOptions.defaults());
    }

    @Test
    void contextCreationOverInitTokensNamesTheClientPrincipal() throws Exception {
        GssAcceptor acceptor = kvAcceptor();
        GssInitiator initiator = GssInitiator.create(alice, "kv@localhost", GssService.INTEGRITY);
        GssCredential first = initiator.credential();
        assertEquals(GssProc.INIT, first.proc());
        assertEquals(0, first.handle().length);

        byte[] call = GssWire.initCall(first, initiator.initArgument(), 7);
        GssWire.ParsedCall parsed = GssWire.parse(call);
        GssInitReply reply = acceptor.establish(parsed.credential(), parsed.arguments());

        assertTrue(reply.result().complete(), reply.result().toString());
        assertEquals(16, reply.result().handle().length);
        assertEquals(128, reply.result().seqWindow());
        assertEquals(AuthFlavor.RPCSEC_GSS, reply.verifierFlavor());
        assertEquals(1, acceptor.contextCount());

        XdrEncoder results = new XdrEncoder();
        reply.result().encode(results);
        assertTrue(initiator.handleReply(results.toBuffer(), reply.verifierFlavor(),
                ByteBuffer.wrap(reply.verifierBody())));
        GssClientContext context = initiator.context();
        assertArrayEquals(reply.result().handle(), context.handle());
        assertEquals(128, context.window());

        int seq = context.nextSequence();
        AtomicReference<GssPrincipal> seen = new AtomicReference<>();
        GssWire.ParsedCall data = GssWire.parse(GssWire.dataCall(context, GssProc.DATA, seq, 8, GssWire.GET_PROC,
                ByteBuffer.allocate(0)));
        GssServerContext server = acceptor.verifyCall(data.credential(), data.header(), data.verifierFlavor(),
                data.verifierBody());
        seen.set(server.principal());
        assertEquals(new GssPrincipal(MitKdc.ALICE), seen.get());
    }

    @Test
    void principalNameAndHostBasedNameReachTheSameService() throws Exception {
        GssAcceptor acceptor = kvAcceptor();
        for (String target : new String[] {"kv@localhost", MitKdc.KV_SERVICE}) {
            GssClientContext context = GssWire.establish(GssInitiator.create(alice, target, GssService.NONE),
                    acceptor);
            int seq = context.nextSequence();
            GssWire.Reply reply = GssWire.serve(acceptor, GssWire.dataCall(context, GssProc.DATA, seq, 1,
                    GssWire.GET_PROC, ByteBuffer.allocate(0)), args -> args);
            assertEquals(0, GssWire.receive(context, seq, reply).remaining(), target);
        }
        assertEquals(2, acceptor.contextCount());
    }

    @Test
    void unboundAcceptorTakesEveryServiceInItsKeytab() throws Exception {
        GssAcceptor any = GssAcceptor.fromKeytab(kdc.serviceKeytab(), null, GssServerOptions.defaults());
        GssWire.establish(GssInitiator.create(alice, "kv@localhost", GssService.NONE), any);
        GssWire.establish(GssInitiator.create(alice, "nfs@localhost", GssService.NONE), any);
        assertEquals(2, any.contextCount());
    }

    @ParameterizedTest
    @EnumSource(GssService.class)
    void argumentsAndResultsCrossIntactUnderEachService(GssService service) throws Exception {
        GssAcceptor acceptor = kvAcceptor();
        GssClientContext context = GssWire.establish(GssInitiator.create(alice, "kv@localhost", service), acceptor);

        byte[] bigValue = new byte[64 * 1024];
        Arrays.fill(bigValue, (byte) 0x5a);
        XdrEncoder args = new XdrEncoder();
        args.writeOpaque(MARKER, 255);
        args.writeOpaque(bigValue, Integer.MAX_VALUE);
        byte[] plainArgs = GssWire.bytes(args);

        for (int call = 0; call < 3; call++) {
            int seq = context.nextSequence();
            byte[] wire = GssWire.dataCall(context, GssProc.DATA, seq, 40 + call, GssWire.GET_PROC,
                    ByteBuffer.wrap(plainArgs));
            assertWireProtection(service, seq, wire, plainArgs);

            AtomicReference<byte[]> serverSaw = new AtomicReference<>();
            GssWire.Reply reply = GssWire.serve(acceptor, wire, arguments -> {
                serverSaw.set(GssWire.bytes(arguments));
                XdrEncoder results = new XdrEncoder();
                results.writeBoolean(true);
                results.writeFixedOpaque(arguments);
                return results.toBuffer();
            });
            assertArrayEquals(plainArgs, serverSaw.get(), "arguments as the actor sees them");

            byte[] replyBytes = GssWire.bytes(reply.results());
            assertEquals(service != GssService.PRIVACY, contains(replyBytes, MARKER), "plaintext in the results");
            XdrDecoder results = new XdrDecoder(GssWire.receive(context, seq, reply));
            assertTrue(results.readBoolean());
            assertArrayEquals(MARKER, results.readOpaque(255));
            assertArrayEquals(bigValue, results.readOpaque(Integer.MAX_VALUE));
            assertFalse(results.hasRemaining());
        }
    }

    private static void assertWireProtection(GssService service, int seq, byte[] wire, byte[] plainArgs)
            throws Exception {
        ByteBuffer protectedArgs = GssWire.parse(wire).arguments();
        switch (service) {
            case NONE:
                assertArrayEquals(plainArgs, GssWire.bytes(protectedArgs));
                break;
            case INTEGRITY: {
                XdrDecoder d = new XdrDecoder(protectedArgs);
                ByteBuffer databody = d.readOpaqueAsBuffer(Integer.MAX_VALUE);
                assertEquals(seq, databody.getInt(), "rpc_gss_data_t.seq_num");
                assertArrayEquals(plainArgs, GssWire.bytes(databody));
                assertTrue(d.readOpaque(GssProtection.MAX_CHECKSUM).length > 0, "checksum");
                assertFalse(d.hasRemaining());
                break;
            }
            case PRIVACY: {
                XdrDecoder d = new XdrDecoder(protectedArgs);
                byte[] sealed = d.readOpaque(Integer.MAX_VALUE);
                assertFalse(d.hasRemaining());
                assertTrue(sealed.length > plainArgs.length);
                assertFalse(contains(sealed, MARKER), "plaintext visible in sealed arguments");
                break;
            }
            default:
                throw new AssertionError(service);
        }
    }

    @Test
    void destroyedContextIsForgottenAndLaterCallsAreRefused() throws Exception {
        GssAcceptor acceptor = kvAcceptor();
        GssClientContext context = GssWire.establish(GssInitiator.create(alice, "kv@localhost", GssService.PRIVACY),
                acceptor);
        int seq = context.nextSequence();
        byte[] destroy = GssWire.dataCall(context, GssProc.DESTROY, seq, 90, GssWire.NULL_PROC,
                ByteBuffer.allocate(0));
        GssWire.ParsedCall parsed = GssWire.parse(destroy);
        GssServerContext server = acceptor.verifyCall(parsed.credential(), parsed.header(), parsed.verifierFlavor(),
                parsed.verifierBody());
        assertEquals(0, server.unwrapArguments(parsed.credential(), parsed.arguments()).remaining());
        XdrEncoder voidResults = new XdrEncoder();
        server.wrapResults(parsed.credential(), ByteBuffer.allocate(0), voidResults);
        GssWire.Reply reply = new GssWire.Reply(AuthFlavor.RPCSEC_GSS, server.replyVerifier(parsed.credential()),
                ByteBuffer.wrap(GssWire.bytes(voidResults)));
        assertTrue(acceptor.destroy(server));
        assertFalse(acceptor.destroy(server), "destroyed twice");
        assertEquals(0, GssWire.receive(context, seq, reply).remaining());
        assertEquals(0, acceptor.contextCount());

        int next = context.nextSequence();
        GssWire.ParsedCall after = GssWire.parse(GssWire.dataCall(context, GssProc.DATA, next, 91, GssWire.GET_PROC,
                ByteBuffer.allocate(0)));
        GssRejection r = assertThrows(GssRejection.class, () -> acceptor.verifyCall(after.credential(),
                after.header(), after.verifierFlavor(), after.verifierBody()));
        assertEquals(RpcGss.RPCSEC_GSS_CREDPROBLEM, r.authStat());
        context.dispose();
    }

    @Test
    void oneContextServesCallsFromManyThreadsEachCallExactlyOnce() throws Exception {
        GssAcceptor acceptor = GssAcceptor.fromKeytab(kdc.serviceKeytab(), MitKdc.KV_SERVICE,
                GssServerOptions.builder().sequenceWindow(4096).build());
        GssClientContext context = GssWire.establish(GssInitiator.create(alice, "kv@localhost",
                GssService.INTEGRITY), acceptor);
        int calls = 400;
        List<byte[]> wire = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            int seq = context.nextSequence();
            ByteBuffer args = ByteBuffer.allocate(4).putInt(0, seq);
            byte[] call = GssWire.dataCall(context, GssProc.DATA, seq, seq, GssWire.GET_PROC, args);
            wire.add(call);
            wire.add(call);
        }
        Collections.shuffle(wire, new Random(2203));
        AtomicInteger served = new AtomicInteger();
        AtomicInteger dropped = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (byte[] call : wire) {
                done.add(pool.submit(() -> {
                    GssWire.ParsedCall p = GssWire.parse(call);
                    try {
                        GssServerContext server = acceptor.verifyCall(p.credential(), p.header(),
                                p.verifierFlavor(), p.verifierBody());
                        ByteBuffer args = server.unwrapArguments(p.credential(), p.arguments());
                        assertEquals(p.credential().seqNum(), args.getInt(0));
                        served.incrementAndGet();
                    } catch (GssRejection r) {
                        assertEquals(GssRejection.Answer.DROP, r.answer(), r.toString());
                        dropped.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(calls, served.get(), "calls served");
        assertEquals(calls, dropped.get(), "replays dropped");
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
