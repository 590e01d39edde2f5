package io.ripcord.transport;

import io.ripcord.core.EventPool;
import io.ripcord.core.Poller;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the pollers' buffer pools have allocated: for leak checks, metrics and state dumps. A connection holds a
 * pooled buffer only while it has a partial frame or queued bytes, so on a quiet server the count stops growing.
 *
 * <p>Threads: {@link #allocated} asks each poller in turn and waits for its answer, so it must not be called
 * from a poller.
 */
public final class PooledBuffers {

    private PooledBuffers() {
    }

    /**
     * The buffers (direct and heap) the pools of {@code pool}'s pollers have allocated so far, summed; each
     * poller reads its own pool.
     *
     * @param pool a started pool
     * @return the number of buffers allocated since the pollers started
     * @throws IllegalStateException if called from a poller
     * @throws TimeoutException      if a poller does not answer within 10 s (it is blocked)
     * @throws InterruptedException  if interrupted while waiting
     */
    public static long allocated(EventPool pool) throws TimeoutException, InterruptedException {
        long total = 0;
        for (Poller p : pool.pollers()) {
            if (p.inPoller()) {
                throw new IllegalStateException("PooledBuffers.allocated waits for the pollers: not from a poller");
            }
            CompletableFuture<Long> f = new CompletableFuture<>();
            p.execute(() -> f.complete(BufferPool.local().allocated() + BufferPool.localHeap().allocated()));
            try {
                total += f.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("reading a poller's buffer pool failed", e.getCause());
            }
        }
        return total;
    }
}
