package io.ripcord.transport;

import io.ripcord.core.Timer;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A client connection from its connect call until CONNECT: the future the {@link Connector} returned, the
 * connect timeout, and the address asked for (a connection that never connected has no remote address to
 * name in messages). Accepted connections have none, and a client connection drops its own at CONNECT.
 *
 * <p>Thread rules: made by the connecting thread before registration; then owner poller only.
 */
final class Dialing {

    final CompletableFuture<Transport> future;
    final SocketAddress target;
    private Timer timer;

    Dialing(CompletableFuture<Transport> future, SocketAddress target) {
        this.future = future;
        this.target = target;
    }

    void timer(Timer t) {
        this.timer = t;
    }

    /** CONNECT: the future completes with the connection. */
    void connected(Transport t) {
        cancelTimer();
        future.complete(t);
    }

    /** The connection ended before CONNECT: the future fails with {@code error}, or a connect error naming why. */
    void failed(Throwable error, DisconnectCause why) {
        cancelTimer();
        future.completeExceptionally(error != null ? error
                : new ConnectException("connect to " + target + " ended: " + why));
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
