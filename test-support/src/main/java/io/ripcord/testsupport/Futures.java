package io.ripcord.testsupport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for a future that a test expects to fail. From test threads. */
public final class Futures {

    private Futures() {
    }

    /**
     * The exception {@code f} failed with, waiting at most 20 s for it to end.
     *
     * @param f a future that should complete exceptionally
     * @return the cause it completed with
     * @throws AssertionError if it succeeded or did not end within 20 s
     * @throws InterruptedException if the test thread is interrupted while waiting
     */
    public static Throwable failure(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not end", e);
        }
        throw new AssertionError("the future succeeded");
    }
}
