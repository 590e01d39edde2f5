package io.ripcord.rpc.auth.gss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.xdr.Allocations;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The sequence window (RFC 2203 section 5.3.3.1) against a model: a set of seen numbers and the highest one.
 * Any order of numbers: accepted exactly when not seen and above {@code highest - size}. Concurrently: each
 * number accepted once. Accepting allocates nothing.
 */
class GssSequenceWindowTest {

    @Provide
    Arbitrary<List<Integer>> sequences() {
        // Mostly close together (what clients send), with jumps far ahead and far back.
        Arbitrary<Integer> near = Arbitraries.integers().between(0, 400);
        Arbitrary<Integer> far = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, near), net.jqwik.api.Tuple.of(1, far)).list().ofMaxSize(300);
    }

    @Property
    void acceptsExactlyTheUnseenNumbersInsideTheWindow(@ForAll("sequences") List<Integer> seqs,
            @ForAll @IntRange(min = 1, max = 300) int size) {
        GssSequenceWindow window = new GssSequenceWindow(size);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        int highest = -1;
        for (int seq : seqs) {
            boolean expected = !seen.contains(seq) && (highest < 0 || seq > highest - size);
            assertEquals(expected, window.mayAccept(seq), "mayAccept " + seq + " highest " + highest);
            assertEquals(expected, window.accept(seq), "accept " + seq + " highest " + highest);
            if (expected) {
                seen.add(seq);
                highest = Math.max(highest, seq);
            }
            assertFalse(window.accept(seq), "second accept of " + seq);
            assertEquals(highest, window.highest());
        }
    }

    @Property
    void mayAcceptChangesNothing(@ForAll @Size(max = 100) List<@IntRange(min = 0, max = 1000) Integer> seqs) {
        GssSequenceWindow window = new GssSequenceWindow(64);
        for (int seq : seqs) {
            window.mayAccept(seq);
        }
        assertEquals(-1, window.highest());
        for (int seq : seqs) {
            window.accept(seq);
        }
    }

    @Test
    void numbersAtOrAboveMaxSeqAreNotTheWindowsToJudge() {
        GssSequenceWindow window = new GssSequenceWindow(32);
        assertThrows(IllegalArgumentException.class, () -> window.accept(Integer.MIN_VALUE));
        assertThrows(IllegalArgumentException.class, () -> new GssSequenceWindow(0));
        assertTrue(window.accept(Integer.MAX_VALUE));
        assertFalse(window.accept(Integer.MAX_VALUE - 32));
        assertTrue(window.accept(Integer.MAX_VALUE - 31));
    }

    @Test
    void concurrentAcceptsTakeEachNumberExactlyOnce() throws Exception {
        int threads = 4;
        int count = 200_000;
        GssSequenceWindow window = new GssSequenceWindow(256);
        AtomicIntegerArray wins = new AtomicIntegerArray(count);
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int seq = 0; seq < count; seq++) {
                        if (window.accept(seq)) {
                            wins.incrementAndGet(seq);
                        }
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
        BitSet twice = new BitSet();
        for (int seq = 0; seq < count; seq++) {
            if (wins.get(seq) > 1) {
                twice.set(seq);
            }
        }
        assertTrue(twice.isEmpty(), "accepted more than once: " + twice);
        assertEquals(count - 1, window.highest());
    }

    @Test
    void acceptingAllocatesNothing() {
        Allocations.assumeMeasurable();
        GssSequenceWindow window = new GssSequenceWindow(128);
        for (int seq = 0; seq < 100_000; seq++) {
            window.accept(seq ^ 3);
        }
        long before = Allocations.allocatedBytes();
        int accepted = 0;
        for (int seq = 100_000; seq < 1_100_000; seq++) {
            if (window.mayAccept(seq ^ 3) && window.accept(seq ^ 3)) {
                accepted++;
            }
            window.accept(seq - 200);
        }
        long allocated = Allocations.allocatedBytes() - before;
        assertEquals(1_000_000, accepted);
        // A constant few hundred bytes can come from the JIT replacing the loop while it runs; one byte per
        // accept would be a million.
        assertTrue(allocated < 4096, allocated + " bytes allocated by a million accepts");
    }
}
