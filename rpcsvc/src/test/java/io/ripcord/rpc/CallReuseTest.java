package io.ripcord.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.Listener;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which {@link RpcCall}s the service uses again for later calls (see {@code CallPool}): those answered on the
 * poller during dispatch by an actor declared {@link RpcActor#repliesInline()}, and no other.
 */
class CallReuseTest {

    private static final int PROG = 0x20001234;
    private static final int INLINE = 1;
    private static final int PLAIN = 2;
    private static final int HANDED_OFF = 3;

    private final List<RpcCall> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> xidsSeen = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService elsewhere = Executors.newSingleThreadExecutor();
    private EventPool pool;
    private Listener listener;

    private void serve() throws Exception {
        pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("reuse").build()).start();
        RpcService service = RpcService.create();
        service.register(RpcProgram.builder(PROG, 1, "REUSE")
                .actor(RpcActor.of(INLINE, "INLINE", RpcActor.VOID, this::answerNow).repliesInline())
                .actor(RpcActor.of(PLAIN, "PLAIN", RpcActor.VOID, this::answerNow))
                .actor(RpcActor.of(HANDED_OFF, "HANDED_OFF", RpcActor.VOID, (call, a) -> {
                    keep(call);
                    elsewhere.execute(() -> call.reply(call.xid(), XdrEncoder::writeInt));
                }).repliesInline())
                .build());
        listener = service.listen(pool, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private void answerNow(RpcCall call, Void args) {
        keep(call);
        call.reply(call.xid(), XdrEncoder::writeInt);
    }

    private void keep(RpcCall call) {
        calls.add(call);
        xidsSeen.add(call.xid());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (listener != null) {
            listener.close();
        }
        if (pool != null) {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
        elsewhere.shutdownNow();
    }

    /** Makes {@code n} calls of {@code procedure} one after another; each reply must carry its own xid. */
    private void call(int procedure, int n) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(listener.address(), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            for (int xid = 1; xid <= n; xid++) {
                out.write(Wire.record(Wire.call(xid, PROG, 1, procedure, new byte[0])));
                ByteBuffer reply = ByteBuffer.wrap(Wire.readRecord(in));
                assertEquals(xid, reply.getInt(0), "the reply's xid");
                assertEquals(AcceptStat.SUCCESS, reply.getInt(20));
                assertEquals(xid, reply.getInt(24), "the result: the xid the actor saw");
            }
        }
    }

    private int distinctCalls() {
        Set<RpcCall> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(calls);
        return distinct.size();
    }

    /** {@code n} calls, each a distinct object that still has the xid its actor saw. */
    private void assertEveryCallIsItsOwn(int n) {
        assertEquals(n, distinctCalls());
        for (int i = 0; i < n; i++) {
            assertEquals(xidsSeen.get(i), calls.get(i).xid(), "a kept call still has its own xid");
        }
    }

    @Test
    void callsAnsweredInlineByADeclaredActorAreUsedAgain() throws Exception {
        serve();
        call(INLINE, 50);
        assertTrue(distinctCalls() <= 2, distinctCalls() + " call objects for 50 calls one after another");
    }

    @Test
    void aCallOfAnActorThatMadeNoPromiseIsNeverUsedAgain() throws Exception {
        serve();
        call(PLAIN, 50);
        assertEveryCallIsItsOwn(50);
    }

    @Test
    void aCallAnsweredOnAnotherThreadIsNeverUsedAgainEvenIfTheActorPromised() throws Exception {
        serve();
        call(HANDED_OFF, 50);
        assertEveryCallIsItsOwn(50);
    }
}
