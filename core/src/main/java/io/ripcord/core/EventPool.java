package io.ripcord.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event pool: N {@link Poller}s, each one thread owning one {@link java.nio.channels.Selector}
 * (GlusterFS's {@code event_pool} with {@code event_dispatch_epoll}).
 *
 * <pre>{@code
 * try (EventPool pool = EventPool.create(EventPoolOptions.builder().pollers(2).build()).start()) {
 *     Slot slot = pool.register(channel, (s, in, out, err) -> { ... }, true, false);
 *     ...
 * }   // close(): shutdown(ZERO, 10 s) and wait; every slot gets its final pollErr
 * }</pre>
 *
 * <p>Lifecycle: {@link #create} makes the pollers, {@link #start} starts their threads (non-daemon by default, as
 * GlusterFS's: a server lives as long as its pool), {@link #dispatch} also waits until the pool stops,
 * {@link #shutdown} stops it gracefully and {@link #close} stops it and waits. A program that fails after
 * {@code start()} (a port in use, say) and does not close its pool keeps the JVM alive: use try-with-resources,
 * or daemon threads ({@link EventPoolOptions.Builder#daemon}).
 *
 * <p>Thread rules: every public method may be called from any thread, including pollers, except
 * {@link #dispatch()}, {@link #awaitTermination} and {@link #close()}, which block and must not be called from a
 * poller of this pool.
 */
public final class EventPool implements Executor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventPool.class);
    private static final AtomicInteger POOL_IDS = new AtomicInteger();
    /** How long {@link #close()} lets the pollers run queued work before they must end. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final EventPoolOptions options;
    private final Object lock = new Object();
    private final AtomicLong timerSequence = new AtomicLong();
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private final ConcurrentHashMap<Poller, CompletableFuture<Void>> retiring = new ConcurrentHashMap<>();
    private final PoolShutdownException shutdownException;
    private volatile List<Poller> pollers;
    private volatile boolean started;
    private volatile boolean shuttingDown;
    private volatile boolean shutdownStarted;
    private volatile long quietNanos;
    private volatile long shutdownDeadline;
    private int livePollers;
    private Watchdog watchdog;

    // The slot table: generation per index, guarded by `lock` for writes; the array is replaced on growth.
    private volatile long[] generations = new long[64];
    private int[] freeIndexes = new int[64];
    private int freeCount;
    private int nextIndex;

    private EventPool(EventPoolOptions options) throws IOException {
        this.options = options;
        this.shutdownException = new PoolShutdownException("event pool " + options.threadNamePrefix()
                + " is shut down");
        List<Poller> list = new ArrayList<>(options.pollers());
        try {
            for (int i = 0; i < options.pollers(); i++) {
                list.add(new Poller(this, i));
            }
        } catch (IOException e) {
            throw new IOException("could not open a selector for poller " + list.size(), e);
        }
        this.pollers = List.copyOf(list);
    }

    /**
     * A pool with {@link EventPoolOptions#defaults()}: one poller per available processor.
     *
     * @return a new pool whose selectors are open but whose threads are not started yet
     * @throws UncheckedIOException if a selector cannot be opened (descriptor limit reached)
     */
    public static EventPool create() {
        return create(EventPoolOptions.defaults());
    }

    /**
     * A pool built from {@code options}.
     *
     * @param options the pool's settings, fixed for its life (only the poller count can change, with
     *     {@link #reconfigure})
     * @return a new pool whose selectors are open but whose threads are not started yet
     * @throws UncheckedIOException if a selector cannot be opened (descriptor limit reached)
     */
    public static EventPool create(EventPoolOptions options) {
        Objects.requireNonNull(options, "options");
        try {
            return new EventPool(options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The options this pool was created with.
     *
     * @return the options; {@link EventPoolOptions#pollers()} is the count at creation, see {@link #pollers()}
     *     for the count now
     */
    public EventPoolOptions options() {
        return options;
    }

    /**
     * Starts the poller threads (and the watchdog's, a daemon, unless its threshold is zero) and returns at once.
     * Idempotent; from any thread. A pool does not restart: after a shutdown this does nothing.
     *
     * @return this pool, so that {@code try (EventPool pool = EventPool.create(options).start())} reads
     */
    public EventPool start() {
        synchronized (lock) {
            if (started) {
                return this;
            }
            if (shuttingDown) {
                throw new PoolShutdownException("cannot start a pool that was shut down");
            }
            started = true;
            for (Poller p : pollers) {
                livePollers++;
                p.start();
            }
            long limit = options.blockedPollerThreshold().toNanos();
            if (limit > 0) {
                watchdog = new Watchdog(this, limit);
                Thread t = new Thread(watchdog, options.threadNamePrefix() + "-watchdog-" + POOL_IDS.incrementAndGet());
                t.setDaemon(true);
                t.start();
            }
        }
        return this;
    }

    /**
     * Starts the pollers (if needed) and blocks until the pool has stopped: GlusterFS's main thread joining
     * poller 0. Another thread stops it with {@link #shutdown}.
     *
     * @throws InterruptedException if the calling thread is interrupted while it waits; the pool keeps running
     * @throws IllegalStateException if called on one of this pool's pollers, or if the pool ended abnormally
     */
    public void dispatch() throws InterruptedException {
        if (inPoller()) {
            throw new IllegalStateException("dispatch() would block a poller of its own pool");
        }
        start();
        try {
            termination.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("event pool ended abnormally", e.getCause());
        }
    }

    /**
     * The running pollers. From any thread.
     *
     * @return an unmodifiable snapshot in index order; a later {@link #reconfigure} does not change it
     */
    public List<Poller> pollers() {
        return pollers;
    }

    /**
     * Whether the calling thread is one of this pool's pollers, including one a resize is retiring.
     *
     * @return {@code true} only on a poller thread of this pool
     */
    public boolean inPoller() {
        for (Poller p : pollers) {
            if (p.inPoller()) {
                return true;
            }
        }
        for (Poller p : retiring.keySet()) {
            if (p.inPoller()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Asks the pool's {@link PollerChooser} for a poller, as for a task; from any thread. Useful to place several
     * channels, or a channel and its timers, on one poller.
     *
     * @return one of the running pollers (with the round-robin default, the next in turn)
     */
    public Poller next() {
        return choosePoller(null);
    }

    /**
     * Registers {@code channel} on the poller the chooser picks; see
     * {@link #register(SelectableChannel, EventHandler, boolean, boolean, Poller)}.
     *
     * @param channel an open channel, not registered with any other selector
     * @param handler what the owner poller calls when the channel is ready, and once at the end
     * @param in whether to wait for read (or accept) readiness from the start
     * @param out whether to wait for write (or connect) readiness from the start
     * @return the new slot; its owner is {@link Slot#poller()}
     * @throws IOException if the channel cannot be made non-blocking (it is closed)
     * @throws PoolShutdownException if the pool is shutting down
     */
    public Slot register(SelectableChannel channel, EventHandler handler, boolean in, boolean out)
            throws IOException {
        return register(channel, handler, in, out, choosePoller(channel));
    }

    /**
     * Registers {@code channel} (switched to non-blocking mode here) on {@code poller}, which then owns it.
     * From another thread the registration is queued to the owner, so this never blocks on a selector; on the
     * owner itself (a listener registering what it accepted on its own poller) it happens at once, with no
     * command queued. Either way readiness is handled from the owner's next loop. {@code in} selects read
     * (accept), {@code out} write (connect while pending). If the channel cannot be registered (it was closed
     * meanwhile), the slot gets its final pollErr call with the cause as its {@link Slot#failure()}.
     *
     * @param channel an open channel, not registered with any other selector
     * @param handler what the owner poller calls when the channel is ready, and once at the end
     * @param in whether to wait for read (or accept) readiness from the start
     * @param out whether to wait for write (or connect) readiness from the start
     * @param poller the poller that will own the slot; one of this pool's
     * @return the new slot, already counted in {@link #openSlots()}
     * @throws IllegalArgumentException if {@code poller} belongs to another pool
     * @throws IOException if the channel cannot be made non-blocking (it is closed)
     * @throws PoolShutdownException if the pool is shutting down
     */
    public Slot register(SelectableChannel channel, EventHandler handler, boolean in, boolean out, Poller poller)
            throws IOException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(poller, "poller");
        if (poller.pool() != this) {
            throw new IllegalArgumentException(poller + " belongs to another pool");
        }
        checkAccepting();
        channel.configureBlocking(false);
        Slot s;
        synchronized (lock) {
            int idx = freeCount > 0 ? freeIndexes[--freeCount] : nextIndex++;
            long[] g = generations;
            if (idx >= g.length) {
                g = Arrays.copyOf(g, Math.max(idx + 1, g.length * 2));
                generations = g;
            }
            long gen = g[idx] + 1;
            g[idx] = gen;
            s = new Slot(idx, gen, channel, handler, poller, in, out);
        }
        if (poller.inPoller()) {
            poller.register(s);
        } else {
            poller.enqueue(Command.register(s));
        }
        return s;
    }

    /**
     * Runs {@code task} on a poller the chooser picks; from any thread. An exception the task throws is logged.
     *
     * @param task what to run; it must not block
     * @throws PoolShutdownException if the pool is shutting down and the caller is not one of its pollers
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        choosePoller(null).execute(task);
    }

    /**
     * Runs {@code task} on a poller the chooser picks once {@code delay} has passed on the pool's {@link Clock};
     * from any thread.
     *
     * @param task what to run; it must not block
     * @param delay how long to wait; zero or negative means as soon as possible
     * @param unit the unit of {@code delay}
     * @return the timer, to {@link Timer#cancel() cancel} it from any thread
     * @throws PoolShutdownException if the pool is shutting down and the caller is not one of its pollers
     */
    public Timer schedule(Runnable task, long delay, TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        return choosePoller(null).schedule(task, delay, unit);
    }

    /**
     * Grows or shrinks the pool to {@code n} pollers while it runs. New pollers start at once; retired pollers
     * hand every slot, timer and queued task to the remaining ones (each slot's interest and readiness carry
     * over, so no event is lost) and then end. The pollers with the highest indexes are the ones retired. From
     * any thread, including a poller.
     *
     * @param n the new number of pollers, at least 1
     * @return completes when every retired poller has finished moving its work
     * @throws IllegalArgumentException if {@code n} is less than 1
     * @throws UncheckedIOException if a selector for a new poller cannot be opened
     * @throws PoolShutdownException if the pool is shutting down and the caller is not one of its pollers
     */
    public CompletableFuture<Void> reconfigure(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a pool needs at least one poller, got " + n);
        }
        checkAccepting();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (lock) {
            List<Poller> cur = pollers;
            if (n > cur.size()) {
                List<Poller> grown = new ArrayList<>(cur);
                try {
                    for (int i = cur.size(); i < n; i++) {
                        grown.add(new Poller(this, i));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("could not open a selector for a new poller", e);
                }
                pollers = List.copyOf(grown);
                if (started) {
                    for (int i = cur.size(); i < n; i++) {
                        livePollers++;
                        grown.get(i).start();
                    }
                }
            } else if (n < cur.size()) {
                pollers = List.copyOf(cur.subList(0, n));
                for (Poller p : cur.subList(n, cur.size())) {
                    CompletableFuture<Void> f = new CompletableFuture<>();
                    retiring.put(p, f);
                    done.add(f);
                    if (p.isStarted()) {
                        livePollers--;
                    }
                    p.retire();
                    p.start();
                }
            }
        }
        log.debug("event pool resized to {} pollers", n);
        return CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * Stops the pool: from now on tasks from outside its pollers are rejected with
     * {@link PoolShutdownException}; each poller keeps running queued work until none has arrived for
     * {@code quietPeriod} (or {@code timeout} passed), then gives every slot its one final pollErr, runs what
     * that queued, drops pending timers and ends. A pool never started is started here so that its pollers close
     * what was registered with them. From any thread, including a poller; returns at once. Only the first call's
     * durations count: later calls only return another view of the same termination.
     *
     * @param quietPeriod how long without new work a poller waits before it closes its slots; measured in real
     *     time, not on the pool's {@link Clock}
     * @param timeout the most the pollers run queued work before they close their slots anyway; not shorter than
     *     {@code quietPeriod}
     * @return completes when every poller thread has ended
     * @throws IllegalArgumentException if {@code timeout} is shorter than {@code quietPeriod}
     */
    public CompletableFuture<Void> shutdown(Duration quietPeriod, Duration timeout) {
        return shutdownAsync(quietPeriod, timeout);
    }

    /**
     * Stops the pool at once ({@code shutdown(Duration.ZERO, 10 s)}: connections DISCONNECT with cause SHUTDOWN)
     * and waits for its pollers to end; what try-with-resources calls. Idempotent.
     *
     * @throws IllegalStateException if called on one of this pool's pollers (it would wait for itself), or if the
     *                               pollers did not end within 20 s (one is blocked: the watchdog has logged it)
     */
    @Override
    public void close() {
        if (inPoller()) {
            throw new IllegalStateException("close() waits for the pollers: not from a poller of its own pool");
        }
        try {
            shutdown(Duration.ZERO, CLOSE_TIMEOUT).get(2 * CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while closing " + this, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the pollers of " + this + " did not end: " + e, e);
        }
    }

    private CompletableFuture<Void> shutdownAsync(Duration quietPeriod, Duration timeout) {
        Objects.requireNonNull(quietPeriod, "quietPeriod");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(quietPeriod) < 0) {
            throw new IllegalArgumentException("timeout " + timeout + " is shorter than quiet period " + quietPeriod);
        }
        boolean terminateNow = false;
        synchronized (lock) {
            if (!shuttingDown) {
                quietNanos = quietPeriod.toNanos();
                shutdownDeadline = System.nanoTime() + timeout.toNanos();
                shuttingDown = true;
                if (!started) {
                    // Never started: start the pollers so each closes what was registered with it.
                    started = true;
                    for (Poller p : pollers) {
                        livePollers++;
                        p.start();
                    }
                }
                terminateNow = livePollers == 0;
            }
        }
        for (Poller p : pollers) {
            p.wakeUp();
        }
        if (terminateNow) {
            terminate();
        }
        return termination.thenApply(v -> null);
    }

    /**
     * Blocks until every poller has ended, or the timeout passes; it does not stop the pool (see
     * {@link #shutdown}). Not from a poller of this pool.
     *
     * @param timeout the longest to wait
     * @param unit the unit of {@code timeout}
     * @return {@code true} if the pool has terminated, {@code false} if the time ran out first
     * @throws InterruptedException if the calling thread is interrupted while it waits
     * @throws IllegalStateException if called on one of this pool's pollers
     */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        if (inPoller()) {
            throw new IllegalStateException("awaitTermination would block a poller of its own pool");
        }
        try {
            termination.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /**
     * Whether a shutdown has begun. From any thread.
     *
     * @return {@code true} from the first {@link #shutdown} or {@link #close()} call on, even while the pollers
     *     still run queued work
     */
    public boolean isShutdown() {
        return shuttingDown;
    }

    /**
     * Whether the pool has stopped. From any thread.
     *
     * @return {@code true} once every poller thread has ended
     */
    public boolean isTerminated() {
        return termination.isDone();
    }

    /**
     * Every running poller's counters. From any thread, without stopping the pollers.
     *
     * @return one new snapshot per poller, in index order; a retired poller's counts are not included
     */
    public List<PollerMetrics> metrics() {
        List<Poller> ps = pollers;
        List<PollerMetrics> out = new ArrayList<>(ps.size());
        for (Poller p : ps) {
            out.add(p.metrics());
        }
        return out;
    }

    /**
     * How many slots the pool holds now. From any thread.
     *
     * @return the slots registered and not yet released (a slot is released just before its final pollErr call)
     */
    public int openSlots() {
        synchronized (lock) {
            return nextIndex - freeCount;
        }
    }

    /**
     * Writes the pool's live state as text, GlusterFS statedump style: its options, then per poller its counters
     * and one line per slot it owns (the slot, its interest, and what its handler says of itself: a connection
     * names its addresses, state and queued bytes). Each poller lists its own slots; this waits for each (at
     * most 5 s; a blocked poller is reported as such). Not from one of this pool's pollers.
     *
     * @param out where to write
     * @throws IOException           if {@code out} fails
     * @throws IllegalStateException if called on one of this pool's pollers
     */
    public void dumpState(Appendable out) throws IOException {
        if (inPoller()) {
            throw new IllegalStateException("dumpState waits for the pollers: not from a poller of its own pool");
        }
        out.append(toString()).append(": ").append(String.valueOf(openSlots())).append(" open slots, ")
                .append(isShutdown() ? "shutting down" : started ? "running" : "not started")
                .append(", blocked-poller reports ").append(String.valueOf(blockedPollerReports())).append('\n');
        for (Poller p : pollers) {
            PollerMetrics m = p.metrics();
            out.append("  poller ").append(String.valueOf(m.index())).append(" (").append(p.toString())
                    .append("): slots ").append(String.valueOf(m.slots())).append(", timers ")
                    .append(String.valueOf(m.pendingTimers())).append(", selects ").append(String.valueOf(m.selects()))
                    .append(", events ").append(String.valueOf(m.events())).append(", tasks ")
                    .append(String.valueOf(m.tasks())).append(", wakeups ").append(String.valueOf(m.wakeups()))
                    .append(", stale dropped ").append(String.valueOf(m.staleDropped())).append(", selector rebuilds ")
                    .append(String.valueOf(m.selectorRebuilds())).append(", longest handler ")
                    .append(String.valueOf(TimeUnit.NANOSECONDS.toMicros(m.longestHandlerNanos()))).append(" us\n");
            CompletableFuture<String> slots = new CompletableFuture<>();
            try {
                p.execute(() -> {
                    StringBuilder b = new StringBuilder();
                    p.describeSlots(b);
                    slots.complete(b.toString());
                });
                out.append(slots.get(5, TimeUnit.SECONDS));
            } catch (PoolShutdownException e) {
                out.append("    (stopped)\n");
            } catch (TimeoutException e) {
                out.append("    (no answer within 5 s: the poller is blocked)\n");
            } catch (ExecutionException e) {
                out.append("    (failed: ").append(String.valueOf(e.getCause())).append(")\n");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.append("    (interrupted)\n");
                return;
            }
        }
    }

    /**
     * How often the watchdog found a poller held too long. From any thread.
     *
     * @return the number of reports since {@link #start()}; 0 if the watchdog is off or the pool not started
     */
    public long blockedPollerReports() {
        Watchdog w = watchdog;
        return w == null ? 0 : w.reports();
    }

    @Override
    public String toString() {
        return "EventPool[" + options.threadNamePrefix() + ", " + pollers.size() + " pollers]";
    }

    // --- package-private, for Poller and Slot --------------------------------------------------------------

    Poller choosePoller(SelectableChannel channel) {
        List<Poller> ps = pollers;
        Poller p = options.chooser().choose(ps, channel);
        if (p == null || p.pool() != this) {
            throw new IllegalStateException("chooser returned " + p + ", not one of " + ps);
        }
        return p;
    }

    long currentGeneration(int index) {
        long[] g = generations;
        return index < g.length ? g[index] : -1;
    }

    void releaseSlot(Slot s) {
        synchronized (lock) {
            if (freeCount == freeIndexes.length) {
                freeIndexes = Arrays.copyOf(freeIndexes, freeIndexes.length * 2);
            }
            freeIndexes[freeCount++] = s.index();
        }
    }

    long nextTimerSequence() {
        return timerSequence.getAndIncrement();
    }

    void checkAccepting() {
        if (shuttingDown && !inPoller()) {
            throw new PoolShutdownException("event pool " + options.threadNamePrefix()
                    + " is shutting down; work is no longer accepted");
        }
    }

    boolean isShuttingDown() {
        return shuttingDown;
    }

    boolean shutdownStarted() {
        return shutdownStarted;
    }

    void markShutdownStarted() {
        shutdownStarted = true;
    }

    PoolShutdownException shutdownException() {
        return shutdownException;
    }

    /** Nanoseconds until this poller should close everything, given when it last did any work. */
    long shutdownCheckNanos(long lastWorkNanos) {
        long now = System.nanoTime();
        long quietLeft = quietNanos - (now - lastWorkNanos);
        long hardLeft = shutdownDeadline - now;
        return Math.min(quietLeft, hardLeft);
    }

    void pollerEnded(Poller p) {
        CompletableFuture<Void> retired = retiring.remove(p);
        if (retired != null) {
            retired.complete(null);
            return;
        }
        boolean last;
        synchronized (lock) {
            last = --livePollers == 0 && shuttingDown;
        }
        if (last) {
            // The last poller cannot join itself: a short-lived thread joins them all, then reports termination.
            List<Poller> all = new ArrayList<>(pollers);
            Thread reaper = new Thread(() -> {
                for (Poller q : all) {
                    try {
                        q.thread().join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                terminate();
            }, options.threadNamePrefix() + "-reaper");
            reaper.setDaemon(true);
            reaper.start();
        }
    }

    private void terminate() {
        Watchdog w = watchdog;
        if (w != null) {
            w.stop();
        }
        termination.complete(null);
    }
}
