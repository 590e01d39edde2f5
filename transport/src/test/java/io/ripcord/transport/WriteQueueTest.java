package io.ripcord.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The write queue on its own: hand-off order, byte counts, consumption versus completion, watermarks. */
class WriteQueueTest {

    private final List<Object> completed = new ArrayList<>();
    private final WriteQueue.Completion record = completed::add;

    private static Outbound message(int size, Object context) {
        return Outbound.heapCopy(ByteBuffer.wrap(TransportTest.pattern(size, size)), context);
    }

    @Test
    void handOffsFromManyThreadsArriveOnceEachAndInEachThreadsOrder() throws Exception {
        WriteQueue q = new WriteQueue();
        int threads = 4;
        int perThread = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        int[] drains = new int[1];
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    q.count(1);
                    if (q.handOff(new Outbound(ByteBuffer.wrap(new byte[] {1}), id * 1_000_000 + i, false))) {
                        synchronized (drains) {
                            drains[0]++;
                        }
                    }
                }
            });
            senders.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : senders) {
            th.join();
        }
        assertEquals(1, drains[0], "no drain ran, so only the first hand-off asked for one");
        q.drainStarted();
        q.takeInbox();
        assertEquals((long) threads * perThread, q.queuedBytes());
        int[] next = new int[threads];
        int n = 0;
        for (Outbound o = q.first(); o != null; o = o.next) {
            int ctx = (Integer) o.context;
            assertEquals(next[ctx / 1_000_000]++, ctx % 1_000_000, "order of thread " + ctx / 1_000_000);
            n++;
        }
        assertEquals(threads * perThread, n);
        assertTrue(q.handOff(message(1, "after")), "a hand-off after the drain started asks for the next one");
    }

    @Test
    void aGatheringWriteConsumesCountsAndCompletesInOrder() throws Exception {
        WriteQueue q = new WriteQueue();
        Sink sink = new Sink(250);
        for (int i = 0; i < 3; i++) {
            Outbound o = message(100, "m" + i);
            q.count(o.length);
            q.add(o);
        }
        long w = q.writeTo(sink, null);
        assertEquals(250, w);
        q.written(w);
        q.completeConsumed(record);
        assertEquals(List.of("m0", "m1"), completed, "only messages wholly written are complete");
        assertEquals(50, q.queuedBytes());
        sink.room = 1000;
        q.written(q.writeTo(sink, null));
        q.completeConsumed(record);
        assertEquals(List.of("m0", "m1", "m2"), completed);
        assertEquals(0, q.queuedBytes());
        assertFalse(q.hasQueued());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            expected.write(TransportTest.pattern(100, 100));
        }
        assertArrayEquals(expected.toByteArray(), sink.bytes.toByteArray());
    }

    @Test
    void consumedMessagesWaitForCompletionWhileLaterOnesAreWritten() throws Exception {
        WriteQueue q = new WriteQueue();
        Outbound a = message(10, "a");
        Outbound b = message(10, "b");
        q.add(a);
        q.add(b);
        Outbound limit = q.first();
        Sink sink = new Sink(1000);
        q.writeTo(sink, limit);
        assertEquals(10, sink.bytes.size(), "stops after the message it was told to stop at");
        assertTrue(q.hasUnconsumed());
        q.writeTo(sink, null);
        assertFalse(q.hasUnconsumed());
        assertTrue(q.hasQueued(), "consumed but not completed: as a TLS stage's records wait to be written");
        q.completeConsumed(record);
        assertEquals(List.of("a", "b"), completed);
    }

    @Test
    void watermarksFlipOnceEachWay() {
        WriteQueue q = new WriteQueue();
        q.count(100);
        assertFalse(q.crossedWatermark(50, 100));
        q.count(1);
        assertTrue(q.crossedWatermark(50, 100));
        assertFalse(q.isWritable());
        assertFalse(q.crossedWatermark(50, 100));
        q.written(51);
        assertTrue(q.crossedWatermark(50, 100));
        assertTrue(q.isWritable());
    }

    @Test
    void clearDropsTheQueueAndTheInboxAndZeroesTheCount() {
        WriteQueue q = new WriteQueue();
        q.count(30);
        q.add(message(10, "queued"));
        q.handOff(message(10, "inbox"));
        q.handOff(message(10, "inbox"));
        assertEquals(3, q.clear());
        assertEquals(0, q.queuedBytes());
        assertFalse(q.hasQueued());
        assertFalse(q.hasInbox());
        assertTrue(q.reserve(10, 10));
        assertFalse(q.reserve(1, 10), "a reservation beyond the bound is refused");
    }

    /** A channel that takes at most {@code room} bytes in all, like a socket buffer that fills up. */
    private static final class Sink implements GatheringByteChannel {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int room;

        Sink(int room) {
            this.room = room;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(srcs[i]);
            }
            return total;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(room - bytes.size(), src.remaining());
            for (int i = 0; i < n; i++) {
                bytes.write(src.get());
            }
            return Math.max(n, 0);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
