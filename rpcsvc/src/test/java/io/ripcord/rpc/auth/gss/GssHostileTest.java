package io.ripcord.rpc.auth.gss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.xdr.Allocations;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.testsupport.MitKdc;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.ietf.jgss.MessageProp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Hostile and broken RPCSEC_GSS input, each answered as RFC 2203 says, against the throw-away KDC. */
@Tag("external")
@ExtendWith(KerberosRealm.class)
class GssHostileTest {

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

    private static GssAcceptor acceptor(GssServerOptions options) throws RpcGssException {
        return GssAcceptor.fromKeytab(kdc.serviceKeytab(), MitKdc.KV_SERVICE, options);
    }

    private static GssClientContext context(GssAcceptor acceptor, GssService service) throws Exception {
        return GssWire.establish(GssInitiator.create(alice, "kv@localhost", service), acceptor);
    }

    private static byte[] call(GssClientContext context, int seq) throws RpcGssException {
        return GssWire.dataCall(context, GssProc.DATA, seq, seq, GssWire.GET_PROC, ByteBuffer.wrap(new byte[8]));
    }

    private static GssServerContext verify(GssAcceptor acceptor, byte[] call) throws Exception {
        GssWire.ParsedCall p = GssWire.parse(call);
        return acceptor.verifyCall(p.credential(), p.header(), p.verifierFlavor(), p.verifierBody());
    }

    private static GssRejection rejected(GssAcceptor acceptor, byte[] call) {
        return assertThrows(GssRejection.class, () -> verify(acceptor, call));
    }

    private static void assertAuthError(int authStat, GssRejection r) {
        assertEquals(GssRejection.Answer.AUTH_ERROR, r.answer(), r.toString());
        assertEquals(authStat, r.authStat(), r.toString());
    }

    @Test
    void replayedCallIsDroppedWithoutAnswer() throws Exception {
        GssAcceptor acceptor = acceptor(GssServerOptions.defaults());
        GssClientContext context = context(acceptor, GssService.NONE);
        byte[] call = call(context, context.nextSequence());
        verify(acceptor, call);
        assertEquals(GssRejection.Answer.DROP, rejected(acceptor, call).answer());
    }

    @Test
    void sequenceNumberBelowTheWindowIsDroppedAndOneInsideIsServed() throws Exception {
        GssAcceptor acceptor = acceptor(GssServerOptions.builder().sequenceWindow(32).build());
        GssClientContext context = context(acceptor, GssService.NONE);
        verify(acceptor, call(context, 100));
        assertEquals(GssRejection.Answer.DROP, rejected(acceptor, call(context, 68)).answer(), "100 - 32");
        assertEquals(GssRejection.Answer.DROP, rejected(acceptor, call(context, 3)).answer());
        verify(acceptor, call(context, 69));
        verify(acceptor, call(context, 99));
    }

    @Test
    void forgedHeaderChecksumIsCredProblemAndDoesNotUseUpTheSequenceNumber() throws Exception {
        GssAcceptor acceptor = acceptor(GssServerOptions.defaults());
        GssClientContext context = context(acceptor, GssService.INTEGRITY);
        int seq = context.nextSequence();
        byte[] genuine = call(context, seq);

        byte[] forgedMic = genuine.clone();
        int micStart = GssWire.parse(genuine).header().remaining() + 8;
        forgedMic[micStart + 10] ^= 0x01;
        assertAuthError(RpcGss.RPCSEC_GSS_CREDPROBLEM, rejected(acceptor, forgedMic));

        byte[] alteredHeader = genuine.clone();
        alteredHeader[23] ^= 0x01;
        assertAuthError(RpcGss.RPCSEC_GSS_CREDPROBLEM, rejected(acceptor, alteredHeader));

        verify(acceptor, genuine);
    }

    @Test
    void verifierOfAnotherFlavorIsBadVerf() throws Exception {
        GssAcceptor acceptor = acceptor(GssServerOptions.defaults());
        GssClientContext context = context(acceptor, GssService.NONE);
        GssWire.ParsedCall p = GssWire.parse(call(context, context.nextSequence()));
        GssRejection r = assertThrows(GssRejection.class, () -> acceptor.verifyCall(p.credential(), p.header(),
                AuthFlavor.AUTH_NONE, ByteBuffer.allocate(0)));
        assertAuthError(AuthStat.AUTH_BADVERF, r);
    }

    @Test
    void flippedByteInSealedOrChecksummedArgumentsIsGarbageArgs() throws Exception {
        GssAcceptor acceptor = acceptor(GssServerOptions.defaults());
        for (GssService service : new GssService[] {GssService.INTEGRITY, GssService.PRIVACY}) {
            GssClientContext context = context(acceptor, service);
            byte[] call = call(context, context.nextSequence());
            call[call.length - 12] ^= 0x40;
            GssWire.ParsedCall p = GssWire.parse(call);
            GssServerContext server = acceptor.verifyCall(p.credential(), p.header(), p.verifierFlavor(),
                    p.verifierBody());
            GssRejection r = assertThrows(GssRejection.class, () -> server.unwrapArguments(p.credential(),
                    p.arguments()));
            assertEquals(GssRejection.Answer.GARBAGE_ARGS, r.answer(), service + ": " + r);
        }
    }

    @Test
    void protectedBodyCarryingAnotherSequenceNumberIsGarbageArgs() throws Exception {
        GssAcceptor acceptor = acceptor(GssServerOptions.defaults());
        GssClientContext context = context(acceptor, GssService.INTEGRITY);
        int seq = context.nextSequence();
        XdrEncoder e = new XdrEncoder();
        GssProtection.protect(context.gss(), GssService.INTEGRITY, seq + 1, ByteBuffer.allocate(4), e);
        GssWire.ParsedCall p = GssWire.parse(call(context, seq));
        GssServerContext server = acceptor.verifyCall(p.credential(), p.header(), p.verifierFlavor(),
                p.verifierBody());
        GssRejection r = assertThrows(GssRejection.class, () -> server.unwrapArguments(p.credential(), e.toBuffer()));
        assertEquals(GssRejection.Answer.GARBAGE_ARGS, r.answer());
        assertTrue(r.getMessage().contains("sequence number"), r.getMessage());
    }

    @Test
    void privacyCallWhoseBodyIsWrappedWithoutConfidentialityIsGarbageArgs() throws Exception {
        GssAcceptor acceptor = acceptor(GssServerOptions.defaults());
        GssClientContext context = context(acceptor, GssService.PRIVACY);
        int seq = context.nextSequence();
        byte[] data = ByteBuffer.allocate(8).putInt(seq).putInt(42).array();
        byte[] unsealed = context.gss().wrap(data, 0, data.length, new MessageProp(0, false));
        XdrEncoder e = new XdrEncoder();
        e.writeOpaque(unsealed, Integer.MAX_VALUE);
        GssWire.ParsedCall p = GssWire.parse(call(context, seq));
        GssServerContext server = acceptor.verifyCall(p.credential(), p.header(), p.verifierFlavor(),
                p.verifierBody());
        GssRejection r = assertThrows(GssRejection.class, () -> server.unwrapArguments(p.credential(), e.toBuffer()));
        assertEquals(GssRejection.Answer.GARBAGE_ARGS, r.answer());
        assertTrue(r.getMessage().contains("not sealed"), r.getMessage());
    }

    @Test
    void unknownContextHandleIsCredProblem() throws Exception {
        GssAcceptor acceptor = acceptor(GssServerOptions.defaults());
        for (byte[] handle : new byte[][] {new byte[16], new byte[3], new byte[0]}) {
            GssCredential stranger = new GssCredential(GssProc.DATA, 1, GssService.NONE, handle);
            GssRejection r = assertThrows(GssRejection.class, () -> acceptor.verifyCall(stranger,
                    ByteBuffer.allocate(40), AuthFlavor.RPCSEC_GSS, ByteBuffer.allocate(28)));
            assertAuthError(RpcGss.RPCSEC_GSS_CREDPROBLEM, r);
        }
        GssCredential continueStranger = new GssCredential(GssProc.CONTINUE_INIT, 0, GssService.NONE, new byte[16]);
        ByteBuffer emptyToken = ByteBuffer.allocate(4);
        GssRejection r = assertThrows(GssRejection.class, () -> acceptor.establish(continueStranger, emptyToken));
        assertAuthError(RpcGss.RPCSEC_GSS_CREDPROBLEM, r);
    }

    @Test
    void initCredentialWithAHandleIsBadCred() throws RpcGssException {
        GssAcceptor acceptor = acceptor(GssServerOptions.defaults());
        GssCredential init = new GssCredential(GssProc.INIT, 0, GssService.NONE, new byte[16]);
        GssRejection r = assertThrows(GssRejection.class, () -> acceptor.establish(init, ByteBuffer.allocate(4)));
        assertAuthError(AuthStat.AUTH_BADCRED, r);
        assertEquals(0, acceptor.contextCount());
    }

    @Test
    void sequenceNumberAtMaxSeqIsCtxProblem() throws Exception {
        GssAcceptor acceptor = acceptor(GssServerOptions.defaults());
        GssClientContext context = context(acceptor, GssService.NONE);
        GssCredential atMax = new GssCredential(GssProc.DATA, RpcGss.MAXSEQ, GssService.NONE, context.handle());
        GssRejection r = assertThrows(GssRejection.class, () -> acceptor.verifyCall(atMax, ByteBuffer.allocate(40),
                AuthFlavor.RPCSEC_GSS, ByteBuffer.allocate(28)));
        assertAuthError(RpcGss.RPCSEC_GSS_CTXPROBLEM, r);
    }

    @Test
    void oversizedInitTokenIsGarbageArgsAndNothingIsAllocatedForIt() throws Exception {
        Allocations.assumeMeasurable();
        GssAcceptor acceptor = acceptor(GssServerOptions.builder().maxTokenSize(4096).build());
        GssCredential init = new GssCredential(GssProc.INIT, 0, GssService.NONE, new byte[0]);

        ByteBuffer promisesTwoGigabytes = ByteBuffer.allocate(64).putInt(0, 0x7fff_fff0);
        ByteBuffer presentButTooLong = ByteBuffer.allocate(4 + 100_000).putInt(0, 100_000);
        acceptor.establish(init, ByteBuffer.wrap(GssInitiator.create(alice, "kv@localhost", GssService.NONE)
                .initArgument())); // warm up the code paths before counting bytes
        for (ByteBuffer args : new ByteBuffer[] {promisesTwoGigabytes, presentButTooLong}) {
            refuse(acceptor, init, args.duplicate()); // the first refusal loads classes and links string concatenation
            long before = Allocations.allocatedBytes();
            GssRejection r = refuse(acceptor, init, args);
            long allocated = Allocations.allocatedBytes() - before;
            assertEquals(GssRejection.Answer.GARBAGE_ARGS, r.answer(), r.toString());
            assertTrue(allocated < 16 * 1024, allocated + " bytes allocated refusing " + r.getMessage());
        }
        assertEquals(1, acceptor.contextCount(), "only the warm-up context");
    }

    private static GssRejection refuse(GssAcceptor acceptor, GssCredential credential, ByteBuffer args) {
        try {
            acceptor.establish(credential, args);
        } catch (GssRejection r) {
            return r;
        }
        throw new AssertionError("accepted");
    }

    @Test
    void tokenThatIsNotKerberosGetsAGssErrorResultAndNoContext() throws Exception {
        GssAcceptor acceptor = acceptor(GssServerOptions.defaults());
        XdrEncoder args = new XdrEncoder();
        args.writeOpaque("not a kerberos token at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 4096);
        GssInitReply reply = acceptor.establish(new GssCredential(GssProc.INIT, 0, GssService.NONE, new byte[0]),
                args.toBuffer());
        assertFalse(reply.result().complete());
        assertFalse(reply.result().continueNeeded());
        assertEquals(GssMajor.DEFECTIVE_TOKEN, reply.result().gssMajor(), reply.result().toString());
        assertEquals(0, reply.result().handle().length);
        assertEquals(AuthFlavor.AUTH_NONE, reply.verifierFlavor());
        assertEquals(0, acceptor.contextCount());
    }

    @Test
    void contextFloodKeepsTheTableBoundedAndTheContextInUse() throws Exception {
        int max = 8;
        GssAcceptor acceptor = acceptor(GssServerOptions.builder().maxContexts(max).build());
        GssClientContext busy = context(acceptor, GssService.NONE);
        List<GssClientContext> flood = new ArrayList<>();
        for (int i = 0; i < 3 * max; i++) {
            flood.add(context(acceptor, GssService.NONE));
            assertTrue(acceptor.contextCount() <= max, "contexts held: " + acceptor.contextCount());
            verify(acceptor, call(busy, busy.nextSequence()));
        }
        assertEquals(max, acceptor.contextCount());
        GssClientContext early = flood.get(0);
        assertAuthError(RpcGss.RPCSEC_GSS_CREDPROBLEM, rejected(acceptor, call(early, early.nextSequence())));
        GssClientContext late = flood.get(flood.size() - 1);
        verify(acceptor, call(late, late.nextSequence()));
    }

    @Test
    void contextPastItsLifetimeIsCtxProblemThenForgotten() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        GssAcceptor acceptor = acceptor(GssServerOptions.builder().contextLifetime(Duration.ofMinutes(10))
                .idleTimeout(Duration.ofHours(1)).build()).withClock(now::get);
        GssClientContext context = context(acceptor, GssService.NONE);
        now.addAndGet(Duration.ofMinutes(9).toNanos());
        verify(acceptor, call(context, context.nextSequence()));
        now.addAndGet(Duration.ofMinutes(2).toNanos());
        assertAuthError(RpcGss.RPCSEC_GSS_CTXPROBLEM, rejected(acceptor, call(context, context.nextSequence())));
        assertEquals(0, acceptor.contextCount());
        assertAuthError(RpcGss.RPCSEC_GSS_CREDPROBLEM, rejected(acceptor, call(context, context.nextSequence())));
    }

    @Test
    void idleContextIsCtxProblemWhileAUsedOneLivesOn() throws Exception {
        AtomicLong now = new AtomicLong();
        GssAcceptor acceptor = acceptor(GssServerOptions.builder().idleTimeout(Duration.ofMinutes(5)).build())
                .withClock(now::get);
        GssClientContext idle = context(acceptor, GssService.NONE);
        GssClientContext used = context(acceptor, GssService.NONE);
        for (int minute = 0; minute < 12; minute++) {
            now.addAndGet(Duration.ofMinutes(1).toNanos());
            verify(acceptor, call(used, used.nextSequence()));
        }
        assertAuthError(RpcGss.RPCSEC_GSS_CTXPROBLEM, rejected(acceptor, call(idle, idle.nextSequence())));
        assertEquals(1, acceptor.contextCount());
    }

    @Test
    void clientRefusesAReplyWhoseVerifierOrResultsWereTamperedWith() throws Exception {
        GssAcceptor acceptor = acceptor(GssServerOptions.defaults());
        GssClientContext context = context(acceptor, GssService.PRIVACY);
        int seq = context.nextSequence();
        GssWire.Reply reply = GssWire.serve(acceptor, call(context, seq), args -> args);

        byte[] badVerifier = reply.verifierBody().clone();
        badVerifier[badVerifier.length - 1] ^= 1;
        RpcGssException e = assertThrows(RpcGssException.class, () -> context.checkReplyVerifier(seq,
                AuthFlavor.RPCSEC_GSS, ByteBuffer.wrap(badVerifier)));
        assertTrue(e.getMessage().contains("not the MIC of sequence number " + seq), e.getMessage());
        assertThrows(RpcGssException.class, () -> context.checkReplyVerifier(seq + 1, AuthFlavor.RPCSEC_GSS,
                ByteBuffer.wrap(reply.verifierBody())));
        assertThrows(RpcGssException.class, () -> context.checkReplyVerifier(seq, AuthFlavor.AUTH_NONE,
                ByteBuffer.allocate(0)));

        byte[] results = GssWire.bytes(reply.results());
        results[results.length - 8] ^= 0x10;
        assertThrows(RpcGssException.class, () -> context.unwrapResults(seq, ByteBuffer.wrap(results)));
        assertThrows(RpcGssException.class, () -> context.unwrapResults(seq + 1, reply.results().duplicate()));
        assertEquals(8, context.unwrapResults(seq, reply.results().duplicate()).remaining());
    }
}
