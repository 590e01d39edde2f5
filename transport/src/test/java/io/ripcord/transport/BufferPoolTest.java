package io.ripcord.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The two kinds of per-thread pool (direct for plain sockets, heap for TLS), run on the test's own thread. */
class BufferPoolTest {

    @Test
    void eachPoolHandsOutItsKindAndABufferReleasedToTheOtherKindGoesHome() {
        ByteBuffer direct = BufferPool.local().acquire(4096);
        ByteBuffer heap = BufferPool.localHeap().acquire(4096);
        assertTrue(direct.isDirect());
        assertFalse(heap.isDirect());
        assertFalse(BufferPool.localHeap().scratch(100).isDirect());
        assertFalse(BufferPool.localHeap().plainScratch(100).isDirect());

        BufferPool.local().release(heap);           // the wrong pool: routed to the heap pool
        BufferPool.localHeap().release(direct);     // and the other way round
        assertSame(heap, BufferPool.localHeap().acquire(4000), "the heap buffer was pooled where it belongs");
        assertSame(direct, BufferPool.local().acquire(3000), "the direct buffer was pooled where it belongs");
    }
}
