package io.ripcord.rpc;

import static io.ripcord.rpc.Wire.asInts;
import static io.ripcord.rpc.Wire.call;
import static io.ripcord.rpc.Wire.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.Transport;
import io.ripcord.transport.TransportListener;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Dispatch logic against a mocked {@link Transport}: what is sent, paused, resumed and closed. */
class RpcDispatchMockTest {

    private final List<byte[]> sent = new ArrayList<>();
    private final List<Object> contexts = new ArrayList<>();
    private final List<RpcCall> held = new ArrayList<>();

    private Transport mockTransport() {
        Transport t = mock(Transport.class);
        when(t.remoteAddress()).thenReturn(new InetSocketAddress("127.0.0.1", 999));
        doAnswer(inv -> {
            ByteBuffer b = inv.getArgument(0);
            byte[] a = new byte[b.remaining()];
            b.get(a);
            sent.add(a);
            contexts.add(inv.getArgument(1));
            return null;
        }).when(t).send(any(ByteBuffer.class), any());
        return t;
    }

    private RpcService service(int limit) {
        RpcService s = RpcService.create(RpcServiceOptions.builder().outstandingLimit(limit).build());
        s.register(RpcProgram.builder(7, 1, "HOLD")
                .actor(RpcActor.of(1, "HOLD", RpcActor.VOID, (c, a) -> held.add(c)))
                .actor(RpcActor.of(2, "ADD", d -> d.readInt() + d.readInt(), (c, a) ->
                        c.reply(a, XdrEncoder::writeInt)))
                .build());
        return s;
    }

    /** What the transport sees: the record-marked reply. */
    private int[] lastReply() {
        byte[] r = sent.get(sent.size() - 1);
        assertEquals(0x80000000 | (r.length - 4), ByteBuffer.wrap(r).getInt(), "one last fragment");
        return asInts(Arrays.copyOfRange(r, 4, r.length));
    }

    @Test
    void aCallIsAnsweredOnItsOwnTransportWithTheCallAsContext() throws Exception {
        Transport t = mockTransport();
        TransportListener l = service(64).acceptor().accept(t);
        l.onMessage(t, ByteBuffer.wrap(call(5, 7, 1, 2, ints(20, 22))));
        assertArrayEquals(new int[] {5, 1, 0, 0, 0, 0, 42}, lastReply());
        assertEquals(5, ((RpcCall) contexts.get(0)).xid());
    }

    @Test
    void theOutstandingLimitPausesReadingAndAWrittenReplyResumesIt() throws Exception {
        Transport t = mockTransport();
        TransportListener l = service(2).acceptor().accept(t);
        l.onMessage(t, ByteBuffer.wrap(call(1, 7, 1, 1, new byte[0])));
        verify(t, never()).pauseReading();
        l.onMessage(t, ByteBuffer.wrap(call(2, 7, 1, 1, new byte[0])));
        verify(t, times(1)).pauseReading();
        held.get(0).replyVoid();
        // Queued is not enough: only MSG_SENT (the reply written) releases the throttle.
        verify(t, never()).resumeReading();
        l.onMessageSent(t, contexts.get(0));
        verify(t, times(1)).resumeReading();
    }

    @Test
    void aRecordTooShortForAnXidClosesAndNonCallsAreDropped() throws Exception {
        Transport t = mockTransport();
        TransportListener l = service(64).acceptor().accept(t);
        l.onMessage(t, ByteBuffer.wrap(ints(9, MsgType.REPLY, 0)));
        verify(t, never()).close();
        assertEquals(0, sent.size());
        l.onMessage(t, ByteBuffer.wrap(new byte[3]));
        verify(t).close();
    }

    @Property(tries = 2000)
    void anyBytesGetAtMostOneReplyAndNeverAnException(@ForAll("messages") byte[] bytes) throws Exception {
        Transport t = mockTransport();
        TransportListener l = service(64).acceptor().accept(t);
        l.onMessage(t, ByteBuffer.wrap(bytes));
        if (!sent.isEmpty()) {
            assertEquals(1, sent.size());
            int[] r = lastReply();
            assertEquals(ByteBuffer.wrap(bytes).getInt(), r[0], "the reply echoes the xid");
            assertEquals(MsgType.REPLY, r[1]);
        }
        sent.clear();
    }

    @Provide
    Arbitrary<byte[]> messages() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        Arbitrary<byte[]> mutated = Arbitraries.integers().between(0, 60).flatMap(pos ->
                Arbitraries.bytes().map(v -> {
                    byte[] c = call(77, 7, 1, 2, ints(1, 2));
                    c[pos % c.length] = v;
                    return c;
                }));
        Arbitrary<byte[]> truncated = Arbitraries.integers().between(0, 60).map(n -> {
            byte[] c = call(78, 7, 1, 2, ints(1, 2));
            return Arrays.copyOf(c, Math.min(n, c.length));
        });
        return Arbitraries.oneOf(random, mutated, truncated);
    }
}
