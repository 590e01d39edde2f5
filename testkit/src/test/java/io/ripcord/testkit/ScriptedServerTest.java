package io.ripcord.testkit;

import static io.ripcord.testsupport.Futures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.rpc.AcceptStat;
import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.auth.AuthSysCredential;
import io.ripcord.rpc.client.AuthErrorException;
import io.ripcord.rpc.client.Credential;
import io.ripcord.rpc.client.GarbageArgsException;
import io.ripcord.rpc.client.ProcedureUnavailableException;
import io.ripcord.rpc.client.ProgramMismatchException;
import io.ripcord.rpc.client.ProgramUnavailableException;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcClientOptions;
import io.ripcord.rpc.client.RpcDisconnectedException;
import io.ripcord.rpc.client.RpcGarbageReplyException;
import io.ripcord.rpc.client.RpcMismatchException;
import io.ripcord.rpc.client.SystemErrorException;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.DisconnectCause;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code RpcClient} against answers a real service never gives, scripted call by call. (These were
 * {@code RpcClientTest} cases with a blocking server thread of their own.)
 */
class ScriptedServerTest {

    static final int PROG = 0x20000C0C;

    private final ManualClock clock = new ManualClock();
    private EventPool pool;
    private ScriptedServer server;
    private RpcClient client;

    @BeforeEach
    void setUp() throws Exception {
        pool = clock.startPool(1);
        server = ScriptedServer.start(pool);
        client = RpcClient.connect(pool, server.address(), RpcClientOptions.builder()
                .credential(Credential.authSys(new AuthSysCredential(7, "h", 1, 2, new int[0]))).build())
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        server.close();
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    /** Makes an INC call and answers it as {@code answer} says; returns how it ended. */
    private Throwable answered(Consumer<ScriptedCall> answer) throws Exception {
        CompletableFuture<Integer> f = client.call(PROG, 2, 1, XdrEncoder::writeInt, 41, XdrDecoder::readInt);
        answer.accept(server.nextCall());
        return failure(f);
    }

    @Test
    void everyErrorStatusBecomesItsTypedException() throws Exception {
        assertInstanceOf(ProgramUnavailableException.class, answered(c -> c.replyError(AcceptStat.PROG_UNAVAIL)));
        ProgramMismatchException pm = assertInstanceOf(ProgramMismatchException.class,
                answered(c -> c.replyProgramMismatch(2, 5)));
        assertEquals(2, pm.low());
        assertEquals(5, pm.high());
        assertInstanceOf(ProcedureUnavailableException.class, answered(c -> c.replyError(AcceptStat.PROC_UNAVAIL)));
        assertInstanceOf(GarbageArgsException.class, answered(c -> c.replyError(AcceptStat.GARBAGE_ARGS)));
        assertInstanceOf(SystemErrorException.class, answered(c -> c.replyError(AcceptStat.SYSTEM_ERR)));
        RpcMismatchException rm = assertInstanceOf(RpcMismatchException.class, answered(c -> c.replyRpcMismatch(3, 4)));
        assertEquals(3, rm.low());
        assertEquals(4, rm.high());
        AuthErrorException ae = assertInstanceOf(AuthErrorException.class,
                answered(c -> c.replyAuthError(AuthStat.AUTH_TOOWEAK)));
        assertEquals(AuthStat.AUTH_TOOWEAK, ae.authStat());
        assertTrue(client.isConnected());
    }

    @Test
    void theCallsBytesAreRfc5531AndAResultComesBack() throws Exception {
        CompletableFuture<Integer> f = client.call(PROG, 2, 1, XdrEncoder::writeInt, 41, XdrDecoder::readInt);
        ScriptedCall c = server.nextCall();
        assertEquals(PROG, c.header().program());
        assertEquals(2, c.header().version());
        assertEquals(1, c.header().procedure());
        assertTrue(c.header().xid() != 0, "xid 0 is never used");
        assertEquals(AuthFlavor.AUTH_SYS, c.header().credentialFlavor());
        assertEquals(List.of(7, 1, 'h' << 24, 1, 2, 0), ints(c.credentialBody()));
        assertEquals(41, (int) c.arguments(XdrDecoder::readInt));
        c.reply(42, XdrEncoder::writeInt);
        assertEquals(42, f.get(10, TimeUnit.SECONDS));
    }

    private static List<Integer> ints(byte[] b) {
        List<Integer> out = new ArrayList<>();
        ByteBuffer bb = ByteBuffer.wrap(b);
        while (bb.hasRemaining()) {
            out.add(bb.getInt());
        }
        return out;
    }

    @Test
    void aReplyWithAnUnknownXidIsDroppedAndTheRightOneMatches() throws Exception {
        CompletableFuture<Integer> f = client.call(PROG, 2, 1, XdrEncoder::writeInt, 41, XdrDecoder::readInt);
        ScriptedCall c = server.nextCall();
        c.replyRaw(ByteBuffer.allocate(28).putInt(c.header().xid() ^ 0x5a5a5a5a).putInt(1).putInt(0).putInt(0).putInt(0)
                .putInt(0).putInt(666).array());
        c.reply(42, XdrEncoder::writeInt);
        assertEquals(42, f.get(10, TimeUnit.SECONDS));
        assertTrue(client.isConnected());
    }

    @Test
    void repliesThatDoNotDecodeAreGarbageReplies() throws Exception {
        assertInstanceOf(RpcGarbageReplyException.class, answered(ScriptedCall::replyVoid), "no result");
        assertInstanceOf(RpcGarbageReplyException.class, answered(c -> c.replyError(9)), "accept_stat 9");
        assertInstanceOf(RpcGarbageReplyException.class, answered(c -> c.reply(null, (e, v) -> {
            e.writeInt(1);
            e.writeInt(2);
        })), "a word too many");
        assertTrue(client.isConnected());
    }

    @Test
    void aDisconnectFailsEachWaitingCallOnceWithEof() throws Exception {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(client.call(PROG, 2, 0, RpcActor.VOID));
        }
        for (int i = 0; i < 10; i++) {
            server.nextCall();
        }
        server.disconnectAll();
        for (CompletableFuture<Void> f : calls) {
            RpcDisconnectedException e = assertInstanceOf(RpcDisconnectedException.class, failure(f));
            assertEquals(DisconnectCause.EOF, e.disconnectCause());
        }
        assertEquals(0, client.outstandingCalls());
    }
}
