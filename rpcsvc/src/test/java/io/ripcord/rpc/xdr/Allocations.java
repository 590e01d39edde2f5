package io.ripcord.rpc.xdr;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

/** Heap bytes the current thread allocates, from HotSpot's per-thread counter. */
public final class Allocations {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {
    }

    /** Skips the calling test on a VM without per-thread allocation counting. */
    public static void assumeMeasurable() {
        assumeTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled(),
                "this VM does not count allocated bytes per thread");
    }

    /** @return the bytes allocated by the current thread since it started */
    public static long allocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }
}
