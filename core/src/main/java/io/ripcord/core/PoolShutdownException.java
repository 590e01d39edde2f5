package io.ripcord.core;

import java.util.concurrent.RejectedExecutionException;

/**
 * Work was offered to an {@link EventPool} that is shutting down or has stopped; also the
 * {@link Slot#failure()} of every slot the shutdown closed.
 */
public final class PoolShutdownException extends RejectedExecutionException {
    private static final long serialVersionUID = 1L;

    PoolShutdownException(String message) {
        super(message);
    }
}
