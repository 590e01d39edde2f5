package io.ripcord.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.transport.DisconnectCause;
import io.ripcord.transport.FrameException;
import io.ripcord.transport.IdleState;
import io.ripcord.transport.LengthFieldFrameDecoder;
import io.ripcord.transport.Transport;
import io.ripcord.transport.TransportListener;
import io.ripcord.transport.TransportOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The embedded transport: every event on the test's thread, before the call that caused it returns. */
class EmbeddedTransportTest {

    private static final TransportOptions FRAMED = TransportOptions.builder()
            .decoder(() -> new LengthFieldFrameDecoder(100)).build();

    /** Records events; echoes each message in upper case. */
    static final class Recorder implements TransportListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onConnect(Transport t) {
            events.add("CONNECT");
        }

        @Override
        public void onMessage(Transport t, ByteBuffer message) {
            String s = StandardCharsets.UTF_8.decode(message).toString();
            events.add("MSG " + s);
            if (s.equals("boom")) {
                throw new IllegalStateException("boom");
            }
            t.send(frame(s.toUpperCase()), s);
        }

        @Override
        public void onMessageSent(Transport t, Object context) {
            events.add("SENT " + context);
        }

        @Override
        public void onWritabilityChanged(Transport t, boolean writable) {
            events.add(writable ? "WRITABLE" : "UNWRITABLE");
        }

        @Override
        public void onInputShutdown(Transport t) {
            events.add("INPUT_SHUTDOWN");
        }

        @Override
        public boolean onIdle(Transport t, IdleState state) {
            events.add("IDLE " + state);
            return events.stream().filter(e -> e.startsWith("IDLE")).count() >= 2;
        }

        @Override
        public void onDisconnect(Transport t, io.ripcord.transport.DisconnectCause cause, Throwable error) {
            events.add("DISCONNECT " + cause);
        }

        @Override
        public void onCleanup(Transport t) {
            events.add("CLEANUP");
        }
    }

    static ByteBuffer frame(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).flip();
    }

    static String text(ByteBuffer framed) {
        framed.getInt();
        return StandardCharsets.UTF_8.decode(framed).toString();
    }

    @Test
    void framesAreDeliveredAndSentSynchronouslyWhateverTheSegmentation() {
        Recorder r = new Recorder();
        EmbeddedTransport t = EmbeddedTransport.builder().options(FRAMED).connect(r);
        ByteBuffer two = ByteBuffer.allocate(20).put(frame("ab")).put(frame("cd")).flip();
        t.writeInbound(two.slice(0, 3));
        assertEquals(List.of("CONNECT"), r.events, "half a header is no frame");
        t.writeInbound(two.slice(3, two.limit() - 3));
        assertEquals(List.of("CONNECT", "MSG ab", "SENT ab", "MSG cd", "SENT cd"), r.events);
        assertEquals("AB", text(t.readOutbound()));
        assertEquals("CD", text(t.readOutbound()));
        assertNull(t.readOutbound());
    }

    @Test
    void aPeerThatStopsReadingQueuesSendsAcrossTheWatermarksUntilItReads() {
        Recorder r = new Recorder();
        EmbeddedTransport t = EmbeddedTransport.builder().options(FRAMED.toBuilder().writeWatermarks(4, 10)
                .pauseReadingWhenUnwritable(true).build()).connect(r);
        t.peerStopsReading();
        t.writeInbound(frame("abcdef"));
        assertEquals(10, t.queuedBytes());
        assertTrue(t.isWritable());
        t.writeInbound(frame("g"));
        assertFalse(t.isWritable());
        assertTrue(t.isReadingPaused(), "reading pauses while the peer does not drain");
        t.writeInbound(frame("held"));
        assertFalse(r.events.contains("MSG held"));
        t.peerReads();
        assertEquals(List.of("CONNECT", "MSG abcdef", "MSG g", "UNWRITABLE", "SENT abcdef", "SENT g", "WRITABLE",
                "MSG held", "SENT held"), r.events);
        assertEquals(0, t.queuedBytes());
        assertEquals("ABCDEF", text(t.readOutbound()));
    }

    @Test
    void aPauseHoldsInboundBytesUntilTheResume() {
        List<String> got = new ArrayList<>();
        EmbeddedTransport t = EmbeddedTransport.builder().options(FRAMED).connect((tr, m) -> {
            got.add(StandardCharsets.UTF_8.decode(m).toString());
            tr.pauseReading();
        });
        t.writeInbound(ByteBuffer.allocate(16).put(frame("1")).put(frame("2")).put(frame("3")).flip());
        assertEquals(List.of("1"), got);
        t.resumeReading();
        assertEquals(List.of("1", "2"), got);
        t.resumeReading();
        assertEquals(List.of("1", "2", "3"), got);
    }

    @Test
    void aListenerThatThrowsOrAnOversizedFrameIsAProtocolDisconnectOnce() {
        Recorder r = new Recorder();
        EmbeddedTransport t = EmbeddedTransport.builder().options(FRAMED).connect(r);
        t.writeInbound(frame("boom"));
        assertEquals(DisconnectCause.PROTOCOL, t.disconnectCause());
        assertInstanceOf(IllegalStateException.class, t.disconnectError());
        assertEquals(List.of("CONNECT", "MSG boom", "DISCONNECT PROTOCOL", "CLEANUP"), r.events);
        assertThrows(IllegalStateException.class, () -> t.writeInbound(frame("late")));

        EmbeddedTransport big = EmbeddedTransport.builder().options(FRAMED).connect(new Recorder());
        big.writeInbound(ByteBuffer.allocate(4).putInt(101).flip());
        assertInstanceOf(FrameException.class, big.disconnectError());
    }

    @Test
    void closeAndTheEndsOfTheStream() {
        Recorder r = new Recorder();
        EmbeddedTransport t = EmbeddedTransport.builder().options(FRAMED).connect(r);
        t.peerStopsReading();
        t.writeInbound(frame("x"));
        t.close();
        assertFalse(t.isOpen());
        assertFalse(t.isClosed(), "the queue is written first");
        t.peerReads();
        assertEquals(List.of("CONNECT", "MSG x", "SENT x", "DISCONNECT LOCAL_CLOSE", "CLEANUP"), r.events);

        Recorder half = new Recorder();
        EmbeddedTransport h = EmbeddedTransport.builder().options(FRAMED.toBuilder().allowHalfClose(true).build())
                .connect(half);
        h.peerClose();
        assertEquals(List.of("CONNECT", "INPUT_SHUTDOWN"), half.events);
        h.shutdownOutput();
        assertEquals(DisconnectCause.EOF, h.disconnectCause(), "both halves shut");

        EmbeddedTransport reset = EmbeddedTransport.connect(new Recorder());
        reset.peerReset();
        assertEquals(DisconnectCause.RESET, reset.disconnectCause());
    }

    @Test
    void idleAndFrameTimeoutsFireWhenTheClockIsAdvanced() {
        ManualClock clock = new ManualClock();
        Recorder r = new Recorder();
        EmbeddedTransport t = EmbeddedTransport.builder().clock(clock)
                .options(FRAMED.toBuilder().readIdleTimeout(Duration.ofSeconds(30)).build()).connect(r);
        clock.advance(Duration.ofSeconds(29));
        t.writeInbound(frame("a"));
        clock.advance(Duration.ofSeconds(29));
        assertFalse(r.events.contains("IDLE READ_IDLE"), "29 s after the last read");
        clock.advance(Duration.ofSeconds(1));
        assertTrue(r.events.contains("IDLE READ_IDLE"));
        assertTrue(t.isOpen(), "the listener kept it the first time");
        clock.advance(Duration.ofSeconds(30));
        assertEquals(DisconnectCause.TIMEOUT, t.disconnectCause());

        EmbeddedTransport slow = EmbeddedTransport.builder().clock(clock)
                .options(FRAMED.toBuilder().frameTimeout(Duration.ofSeconds(5)).build()).connect(new Recorder());
        slow.writeInbound(ByteBuffer.wrap(new byte[] {0, 0, 0, 9, 'p'}));
        clock.advance(Duration.ofMillis(4999));
        assertTrue(slow.isOpen());
        clock.advance(Duration.ofMillis(1));
        assertEquals(DisconnectCause.TIMEOUT, slow.disconnectCause());
        assertInstanceOf(FrameException.class, slow.disconnectError());
    }

    @Test
    void sendsAndTasksFromOtherThreadsWaitForTheOwnersNextStep() throws Exception {
        EmbeddedTransport t = EmbeddedTransport.builder().options(FRAMED).connect(new Recorder());
        assertTrue(t.inPoller());
        CompletableFuture.runAsync(() -> {
            assertFalse(t.inPoller());
            t.send(frame("from elsewhere"));
        }).get();
        List<String> ran = new ArrayList<>();
        t.execute(() -> ran.add("task"));
        assertTrue(ran.isEmpty(), "queued, as on a real connection");
        assertEquals("from elsewhere", text(t.readOutbound()));
        assertEquals(List.of("task"), ran);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> CompletableFuture.runAsync(() -> t.writeInbound(new byte[1])).get());
        assertInstanceOf(IllegalStateException.class, e.getCause(), "only the owner drives it");
        assertTrue(t.startTls(null).isCompletedExceptionally(), "no TLS");
        assertArrayEquals(new byte[0], t.readOutboundBytes());
    }
}
