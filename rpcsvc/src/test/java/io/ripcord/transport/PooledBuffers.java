package io.ripcord.transport;

import io.ripcord.core.EventPool;
import io.ripcord.core.Poller;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Test-only probe into the package-private {@link BufferPool}: this class shares its package (tests run on
 * the class path, where a package may span jars), so the library needs no public hook for it.
 */
public final class PooledBuffers {
    private PooledBuffers() {
    }

    /** Buffers the pollers' pools (direct and heap) have allocated so far, summed; read on each poller. */
    public static long allocated(EventPool pool) throws Exception {
        long total = 0;
        for (Poller p : pool.pollers()) {
            CompletableFuture<Long> f = new CompletableFuture<>();
            p.execute(() -> f.complete(BufferPool.local().allocated() + BufferPool.localHeap().allocated()));
            total += f.get(10, TimeUnit.SECONDS);
        }
        return total;
    }
}
