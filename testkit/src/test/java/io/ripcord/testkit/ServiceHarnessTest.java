package io.ripcord.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.AcceptStat;
import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.GfDump;
import io.ripcord.rpc.RejectStat;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.RpcServiceOptions;
import io.ripcord.rpc.auth.AuthSysCredential;
import io.ripcord.rpc.client.Credential;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.DisconnectCause;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A service's exact answers, through the harness: no socket, no poller. */
class ServiceHarnessTest {

    static final int PROG = 0x20000A0A;
    private final ExecutorService workers = Executors.newSingleThreadExecutor();
    private final List<RpcCall> held = new ArrayList<>();

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    private RpcProgram version(int v) {
        return RpcProgram.builder(PROG, v, "TEST")
                .actor(RpcActor.of(0, "NULL", RpcActor.VOID, (c, a) -> c.replyVoid()))
                .actor(RpcActor.of(1, "INC", XdrDecoder::readInt, (c, n) -> c.reply(n + 1, XdrEncoder::writeInt)))
                .actor(RpcActor.of(2, "BOOM", RpcActor.VOID, (c, a) -> {
                    throw new IllegalStateException("boom");
                }))
                .actor(RpcActor.of(3, "LATER", XdrDecoder::readInt, (c, n) -> c.reply(n * 2, XdrEncoder::writeInt))
                        .on(workers))
                .actor(RpcActor.of(4, "HOLD", RpcActor.VOID, (c, a) -> held.add(c)))
                .actor(RpcActor.of(5, "WHO", RpcActor.VOID, (c, a) ->
                        c.reply(c.principal().toString(), (e, s) -> e.writeString(s, 200))))
                .build();
    }

    @Test
    void resultsAndEveryAcceptedStatus() {
        ServiceHarness h = ServiceHarness.of(version(2), version(5));
        assertEquals(42, h.call(PROG, 2, 1, XdrEncoder::writeInt, 41).result(XdrDecoder::readInt));
        assertEquals(AcceptStat.PROG_UNAVAIL, h.call(PROG + 1, 2, 0).acceptStat());
        RpcReply mismatch = h.call(PROG, 3, 0);
        assertEquals(AcceptStat.PROG_MISMATCH, mismatch.acceptStat());
        assertEquals(2, mismatch.mismatchLow());
        assertEquals(5, mismatch.mismatchHigh());
        assertEquals(AcceptStat.PROC_UNAVAIL, h.call(PROG, 2, 99).acceptStat());
        assertEquals(AcceptStat.GARBAGE_ARGS, h.call(PROG, 2, 1).acceptStat(), "INC without its int");
        assertEquals(AcceptStat.SYSTEM_ERR, h.call(PROG, 2, 2).acceptStat());
        IllegalStateException notSuccess = assertThrows(IllegalStateException.class,
                () -> h.call(PROG, 2, 2).result(XdrDecoder::readInt));
        assertTrue(notSuccess.getMessage().contains("SYSTEM_ERR"), notSuccess.getMessage());
        assertEquals(AcceptStat.PROG_UNAVAIL, h.call(GfDump.PROGRAM, 1, GfDump.PING).acceptStat(),
                "a harness of programs has no GF-DUMP");
    }

    @Test
    void deniedRepliesAndCredentials() {
        ServiceHarness h = ServiceHarness.of(RpcService.create(RpcServiceOptions.builder()
                .refuseFlavor(AuthFlavor.AUTH_NONE).build()));
        RpcReply denied = h.call(GfDump.PROGRAM, 1, GfDump.PING);
        assertEquals(RejectStat.AUTH_ERROR, denied.rejectStat());
        assertEquals(AuthStat.AUTH_BADCRED, denied.authStat());
        assertEquals(-1, denied.acceptStat());

        ServiceHarness who = ServiceHarness.of(version(1)).credential(Credential.authSys(
                new AuthSysCredential(1, "harness", 1000, 100, new int[0])));
        assertEquals("AUTH_SYS[harness uid=1000 gid=100 gids=[]]", who.call(PROG, 1, 5).result(d -> d.readString(200)));

        ByteBuffer rpcv3 = ByteBuffer.allocate(40).putInt(77).putInt(0).putInt(3).putInt(PROG).putInt(1).putInt(0)
                .putInt(0).putInt(0).putInt(0).putInt(0);
        RpcReply rpcMismatch = who.callRaw(rpcv3.array());
        assertEquals(77, rpcMismatch.xid());
        assertEquals(RejectStat.RPC_MISMATCH, rpcMismatch.rejectStat());
        assertEquals(2, rpcMismatch.mismatchLow());
        assertEquals(2, rpcMismatch.mismatchHigh());
    }

    @Test
    void anActorOnAnExecutorIsAwaited() {
        ServiceHarness h = ServiceHarness.of(version(1));
        assertEquals(14, h.call(PROG, 1, 3, XdrEncoder::writeInt, 7).result(XdrDecoder::readInt));
    }

    @Test
    void theOutstandingLimitPausesTheConnectionUntilAReplyIsWritten() {
        RpcService service = RpcService.create(RpcServiceOptions.builder().outstandingLimit(2).build());
        service.register(version(1));
        ServiceHarness h = ServiceHarness.of(service).replyTimeout(Duration.ZERO);
        assertNull(h.call(PROG, 1, 4));
        assertFalse(h.transport().isReadingPaused());
        assertNull(h.call(PROG, 1, 4));
        assertTrue(h.transport().isReadingPaused(), "two calls held, the limit");
        h.transport().peerStopsReading();
        held.get(0).replyVoid();
        assertTrue(h.transport().isReadingPaused(), "queued is not written");
        h.transport().peerReads();
        assertFalse(h.transport().isReadingPaused(), "written: one more call may come");
    }

    @Test
    void aRecordHeldPastTheRecordTimeoutClosesTheConnection() {
        ManualClock clock = new ManualClock();
        RpcService service = RpcService.create(RpcServiceOptions.builder()
                .recordTimeout(Duration.ofSeconds(2)).build());
        ServiceHarness h = ServiceHarness.of(service, clock);
        h.transport().writeInbound(new byte[] {(byte) 0x80, 0, 0, 40, 1, 2});
        clock.advance(Duration.ofSeconds(1));
        assertTrue(h.transport().isOpen());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(DisconnectCause.TIMEOUT, h.transport().disconnectCause());
    }
}
