package io.ripcord.transport;

import io.ripcord.core.Clock;
import io.ripcord.core.Timer;
import java.util.concurrent.TimeUnit;

/**
 * A connection's idle and frame timeouts ({@link TransportOptions#readIdleTimeout()} and the others,
 * {@link TransportOptions#frameTimeout()}): when it last read and wrote, since when it has held part of a frame,
 * and the one timer of each kind that checks them. A connection has one only when its options set one of them,
 * so the others neither keep these fields nor read the clock on every read and write.
 *
 * <p>Both timers re-arm themselves for what is left rather than being rescheduled on every read, so a busy
 * connection costs no timer work per message. Time comes from the event pool's clock
 * ({@link io.ripcord.core.EventPoolOptions#clock()}), so a test's manual clock moves it.
 *
 * <p>Thread rules: owner poller only.
 */
final class Timeouts {

    private final ConnectionIo conn;
    private final TransportOptions options;
    /** The pool's clock, known once the connection has a slot (the system's until then). */
    private Clock clock = Clock.system();
    private long lastReadNanos;
    private long lastWriteNanos;
    private Timer idleTimer;
    private Timer frameTimer;
    private boolean partialFrame;
    private long partialFrameSinceNanos;

    private Timeouts(ConnectionIo conn, TransportOptions options) {
        this.conn = conn;
        this.options = options;
    }

    /** The timeouts {@code options} ask for, or {@code null} if none. */
    static Timeouts of(ConnectionIo conn, TransportOptions options) {
        boolean idle = !options.readIdleTimeout().isZero() || !options.writeIdleTimeout().isZero()
                || !options.allIdleTimeout().isZero();
        boolean frame = !options.frameTimeout().isZero() && options.decoder() != null;
        return idle || frame ? new Timeouts(conn, options) : null;
    }

    /** The connection is established: idleness counts from now. */
    void start() {
        clock = conn.clock();
        long now = clock.nanoTime();
        lastReadNanos = now;
        lastWriteNanos = now;
        armIdle(now);
    }

    void read() {
        lastReadNanos = clock.nanoTime();
    }

    void wrote() {
        lastWriteNanos = clock.nanoTime();
    }

    void cancel() {
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
        if (frameTimer != null) {
            frameTimer.cancel();
            frameTimer = null;
        }
    }

    // --- idle ----------------------------------------------------------------------------------------------

    private void armIdle(long now) {
        long next = nextIdleCheckNanos(now);
        if (next > 0) {
            idleTimer = conn.schedule(this::checkIdle, next);
        }
    }

    private long nextIdleCheckNanos(long now) {
        long next = Long.MAX_VALUE;
        long r = options.readIdleTimeout().toNanos();
        long w = options.writeIdleTimeout().toNanos();
        long a = options.allIdleTimeout().toNanos();
        if (r > 0) {
            next = Math.min(next, Math.max(lastReadNanos + r - now, r / 8 + 1));
        }
        if (w > 0) {
            next = Math.min(next, Math.max(lastWriteNanos + w - now, w / 8 + 1));
        }
        if (a > 0) {
            next = Math.min(next, Math.max(Math.max(lastReadNanos, lastWriteNanos) + a - now, a / 8 + 1));
        }
        return next == Long.MAX_VALUE ? 0 : next;
    }

    private void checkIdle() {
        idleTimer = null;
        if (conn.isClosed()) {
            return;
        }
        long now = clock.nanoTime();
        long r = options.readIdleTimeout().toNanos();
        long w = options.writeIdleTimeout().toNanos();
        long a = options.allIdleTimeout().toNanos();
        IdleState fired = null;
        if (r > 0 && now - lastReadNanos >= r) {
            fired = IdleState.READ_IDLE;
            lastReadNanos = now;
        } else if (w > 0 && now - lastWriteNanos >= w) {
            fired = IdleState.WRITE_IDLE;
            lastWriteNanos = now;
        } else if (a > 0 && now - Math.max(lastReadNanos, lastWriteNanos) >= a) {
            fired = IdleState.ALL_IDLE;
            lastReadNanos = now;
            lastWriteNanos = now;
        }
        if (fired != null && conn.idle(fired)) {
            return;
        }
        armIdle(now);
    }

    // --- frame ---------------------------------------------------------------------------------------------

    /**
     * Starts the frame clock when part of a frame is now held (by the read path, inside the decoder, or as an
     * incomplete TLS record) and none was, and lets it stop when none is left. Called after each read.
     */
    void trackPartialFrame() {
        long timeout = options.frameTimeout().toNanos();
        if (timeout == 0 || options.decoder() == null || conn.isClosed()) {
            return;
        }
        boolean partial = conn.holdsPartialFrame();
        if (partial && !partialFrame) {
            partialFrameSinceNanos = clock.nanoTime();
            if (frameTimer == null) {
                frameTimer = conn.schedule(this::checkFrame, timeout);
            }
        }
        partialFrame = partial;
    }

    private void checkFrame() {
        frameTimer = null;
        if (conn.isClosed()) {
            return;
        }
        partialFrame = conn.holdsPartialFrame();
        if (!partialFrame) {
            return;
        }
        long now = clock.nanoTime();
        if (conn.readPaused()) {
            // We stopped reading (throttle, watermarks): the frame is incomplete because of us, not the peer.
            partialFrameSinceNanos = now;
        }
        long timeout = options.frameTimeout().toNanos();
        long left = partialFrameSinceNanos + timeout - now;
        if (left > 0) {
            frameTimer = conn.schedule(this::checkFrame, left);
            return;
        }
        conn.frameTimedOut(new FrameException("a partial frame was held for more than "
                + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms"));
    }
}
