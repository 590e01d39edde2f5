package io.ripcord.core;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poller thread and the {@link Selector} it owns: GlusterFS's {@code event_dispatch_epoll_worker}, with
 * ownership in place of EPOLLONESHOT. Only this thread touches its selector's keys; other threads hand it
 * work through a lock-free queue and wake the selector only when the poller sleeps or is about to.
 *
 * <p>Thread rules: {@link #execute}, {@link #schedule}, {@link #metrics()}, {@link #slotCount()} and
 * {@link #inPoller()} may be called from any thread. Everything else here runs on the poller thread.
 */
public final class Poller {

    private static final Logger log = LoggerFactory.getLogger(Poller.class);

    private static final int RUNNING = 0;
    private static final int RETIRING = 1;
    private static final int RETIRED = 2;
    private static final int TERMINATED = 3;

    /** The longest a closed channel waits for the select that deregisters it before it is closed (see finish). */
    private static final long CLOSE_WITHIN_MILLIS = 1;

    /** Commands run per loop before the poller looks at its selector again, so I/O is never starved. */
    private static final int MAX_COMMANDS_PER_LOOP = 4096;

    // Counter slots, written by the owner only (release), read anywhere (acquire).
    private static final int C_SELECTS = 0;
    private static final int C_EVENTS = 1;
    private static final int C_TASKS = 2;
    private static final int C_TIMERS = 3;
    private static final int C_STALE = 4;
    private static final int C_REBUILDS = 5;
    private static final int C_LONGEST = 6;
    private static final int C_SLOTS = 7;
    private static final int C_PENDING_TIMERS = 8;
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final EventPool pool;
    private final Clock clock;
    private final int index;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Command> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final AtomicLong wakeups = new AtomicLong();
    private final long[] counts = new long[9];
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Consumer<SelectionKey> onKey = this::processKey;
    /** Channels whose keys were cancelled this round; the next select deregisters them (see finish). */
    private ArrayList<SelectableChannel> deregistering = new ArrayList<>();
    /** Channels whose keys the select now running deregisters: closed once it returns. Swapped with the above. */
    private ArrayList<SelectableChannel> closing = new ArrayList<>();
    private volatile Selector selector;
    private volatile int state = RUNNING;
    /** When the running handlers, task or timer started; 0 while selecting or idle. For the watchdog. */
    private volatile long busySince;
    /**
     * When the handlers of this select round's events began; 0 before the first. The round is timed as one piece
     * of work (two clock reads a round, not two an event: the clock is not free on every machine).
     */
    private long roundStart;
    private long watchdogReported;
    private int prematureSelects;
    private int timerPurgeThreshold = 1024;
    private long lastWorkNanos;
    private final AtomicBoolean started = new AtomicBoolean();

    Poller(EventPool pool, int index) throws IOException {
        this.pool = pool;
        this.clock = pool.options().clock();
        this.index = index;
        this.selector = Selector.open();
        this.thread = pool.options().threadFactory().newThread(this::run);
        this.thread.setName(pool.options().threadNamePrefix() + "-" + index);
    }

    /**
     * This poller's position in the pool; from any thread.
     *
     * @return the index, from 0 to the pool's poller count minus one; also the suffix of the thread's name
     */
    public int index() {
        return index;
    }

    /**
     * The pool this poller belongs to; from any thread.
     *
     * @return the pool that made this poller
     */
    public EventPool pool() {
        return pool;
    }

    /**
     * Whether the calling thread is this poller's thread: the check behind the poller-only methods' asserts.
     * From any thread.
     *
     * @return {@code true} only on this poller's own thread
     */
    public boolean inPoller() {
        return Thread.currentThread() == thread;
    }

    /**
     * When the work now running on this poller began, by {@link System#nanoTime()}: the select round whose
     * handlers run (one stamp for the round's handlers), or the task or timer. For a handler that wants to time
     * what it does without a clock read of its own (the RPC service stamps each call with it).
     *
     * @return the stamp, or 0 when nothing runs (or when called from another thread, which may see any value)
     */
    public long workStartedNanos() {
        return busySince;
    }

    /**
     * How many slots this poller owns now. From any thread.
     *
     * @return the count as the poller last published it; a registration or close still queued to the poller is
     *     not counted yet
     */
    public int slotCount() {
        return (int) (long) COUNTS.getAcquire(counts, C_SLOTS);
    }

    /**
     * Runs {@code task} on this poller (or, if this poller was retired by a resize, on one that remains).
     * From any thread; called on this poller, the task runs after the current handler, task or timer returns,
     * never inside it. An exception the task throws is logged and does not stop the poller.
     *
     * @param task what to run; it must not block
     * @throws PoolShutdownException if the pool is shutting down and the caller is not one of its pollers
     */
    public void execute(Runnable task) {
        pool.checkAccepting();
        enqueue(Command.task(task));
    }

    /**
     * Runs {@code task} on this poller once {@code delay} has passed on the pool's {@link Clock}. From any
     * thread. Timers with the same deadline run in the order they were scheduled.
     *
     * @param task what to run; it must not block
     * @param delay how long to wait; zero or negative means as soon as possible
     * @param unit the unit of {@code delay}
     * @return the timer, to {@link Timer#cancel() cancel} it from any thread
     * @throws PoolShutdownException if the pool is shutting down and the caller is not one of its pollers
     */
    public Timer schedule(Runnable task, long delay, TimeUnit unit) {
        return scheduleTimer(task, delay, unit, null);
    }

    /**
     * This poller's counters. From any thread, without stopping the poller.
     *
     * @return a new snapshot; each counter is read on its own, so two of them may be a round apart
     */
    public PollerMetrics metrics() {
        return new PollerMetrics(index,
                get(C_SELECTS), get(C_EVENTS), get(C_TASKS), get(C_TIMERS),
                (int) get(C_SLOTS), (int) get(C_PENDING_TIMERS), wakeups.get(), get(C_STALE),
                get(C_REBUILDS), get(C_LONGEST));
    }

    @Override
    public String toString() {
        return thread.getName();
    }

    // --- package-private API for EventPool and Slot -------------------------------------------------------

    /** One line per slot this poller owns: the slot and what its handler says of itself. On this poller. */
    void describeSlots(StringBuilder out) {
        assert inPoller();
        for (SelectionKey k : selector.keys()) {
            if (k.isValid() && k.attachment() instanceof Slot s) {
                out.append("    ").append(s).append(" interest ").append(interest(k)).append(": ")
                        .append(s.handler().describe()).append('\n');
            }
        }
    }

    private static String interest(SelectionKey k) {
        int ops = k.interestOps();
        if (ops == 0) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        if ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            b.append("in");
        }
        if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            b.append(b.length() == 0 ? "out" : "+out");
        }
        return b.toString();
    }

    Thread thread() {
        return thread;
    }

    void start() {
        if (started.compareAndSet(false, true)) {
            thread.start();
        }
    }

    boolean isStarted() {
        return started.get();
    }

    long busySince() {
        return busySince;
    }

    Timer scheduleTimer(Runnable task, long delay, TimeUnit unit, Slot slot) {
        pool.checkAccepting();
        Timer t = new Timer(clock, clock.nanoTime() + Math.max(0, unit.toNanos(delay)), pool.nextTimerSequence(),
                task, slot);
        if (inPoller()) {
            addTimer(t);
        } else {
            enqueue(Command.addTimer(t));
        }
        return t;
    }

    /** Queues a command for this poller; wakes it only if it sleeps (or is about to) and we are not it. */
    void enqueue(Command c) {
        queue.offer(c);
        if (state == RETIRED) {
            // The thread is gone (retired by a resize): move the work to where its slot lives now. A terminated
            // poller (the pool shut down) forwards nothing: every other poller is ending too, and work handed
            // between them would never land; what its last rounds do not run is dropped with the pool.
            forwardQueued();
            return;
        }
        if (Thread.currentThread() != thread && sleeping.get() && sleeping.compareAndSet(true, false)) {
            wakeups.incrementAndGet();
            selector.wakeup();
        }
    }

    /** Wakes the poller from another thread regardless of work (used by shutdown and resize). */
    void wakeUp() {
        if (Thread.currentThread() != thread && sleeping.compareAndSet(true, false)) {
            wakeups.incrementAndGet();
            selector.wakeup();
        }
    }

    void retire() {
        state = RETIRING;
        wakeUp();
    }

    /** Applies an interest change on the owner; {@code gen} is the generation the caller saw. */
    void applyInterest(Slot s, long gen, boolean in, boolean out) {
        assert inPoller();
        if (isStale(s, gen)) {
            inc(C_STALE);
            return;
        }
        s.wantIn = in;
        s.wantOut = out;
        SelectionKey k = s.key;
        if (k == null) {
            return; // not registered yet: REGISTER reads wantIn/wantOut
        }
        try {
            int want = s.interestOps();
            int cur = k.interestOps();
            int add = want & ~cur;
            int remove = cur & ~want;
            if (add != 0) {
                k.interestOpsOr(add);
            }
            if (remove != 0) {
                k.interestOpsAnd(~remove);
            }
        } catch (CancelledKeyException e) {
            fail(s, e);
        }
    }

    /** Test hook: delivers a readiness event as if the selector had reported it for (slot, gen). */
    void dispatchEvent(Slot s, long gen, boolean in, boolean out) {
        assert inPoller();
        if (isStale(s, gen)) {
            inc(C_STALE);
            return;
        }
        long t0 = beginWork();
        try {
            handleReady(s, in, out);
        } finally {
            endWork(t0);
        }
    }

    /** Test hook: replaces the selector now, as the spin detector does. */
    void rebuildSelectorForTest() {
        assert inPoller();
        rebuildSelector(0);
    }

    // --- the loop ---------------------------------------------------------------------------------------

    private void run() {
        lastWorkNanos = System.nanoTime();
        try {
            for (;;) {
                runCommands();
                fireTimers();
                if (state == RETIRING) {
                    migrateAway();
                    return;
                }
                if (pool.isShuttingDown() && shutdownDue()) {
                    closeEverything();
                    return;
                }
                if (!deregistering.isEmpty()) {
                    ArrayList<SelectableChannel> cancelled = deregistering;
                    deregistering = closing;
                    closing = cancelled;
                }
                select();
                endRound();
                closeDeregistered(closing);
            }
        } catch (Throwable t) {
            log.error("{} stopped by an unexpected error", thread.getName(), t);
            closeEverything();
        } finally {
            if (state != RETIRED) {
                state = TERMINATED;
            }
            try {
                selector.close();
            } catch (IOException e) {
                log.debug("{}: closing the selector failed", thread.getName(), e);
            }
            closeDeregistered(closing);
            closeDeregistered(deregistering);
            pool.pollerEnded(this);
        }
    }

    private void select() throws IOException {
        inc(C_SELECTS);
        if (!queue.isEmpty()) {
            selector.selectNow(onKey);
            return;
        }
        long timeoutMillis = selectTimeoutMillis();
        if (!closing.isEmpty() && (timeoutMillis < 0 || timeoutMillis > CLOSE_WITHIN_MILLIS)) {
            // Channels wait for this select to deregister them before they are closed: it may sleep, but not for
            // long. A busy poller's next event usually comes first; an idle one closes them a millisecond late.
            timeoutMillis = CLOSE_WITHIN_MILLIS;
        }
        if (timeoutMillis == 0) {
            selector.selectNow(onKey);
            return;
        }
        sleeping.set(true);
        if (!queue.isEmpty() || state != RUNNING || pool.isShuttingDown()) {
            // Work arrived (or we were asked to stop) between the check above and raising the flag.
            sleeping.set(false);
            selector.selectNow(onKey);
            return;
        }
        long t0 = timeoutMillis > 0 ? System.nanoTime() : 0; // only a timed select needs its start
        int n = timeoutMillis < 0 ? selector.select(onKey) : selector.select(onKey, timeoutMillis);
        boolean woken = !sleeping.getAndSet(false);
        if (n == 0 && !woken && !Thread.interrupted() && queue.isEmpty()
                && (timeoutMillis < 0 || System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(timeoutMillis) / 2)) {
            // Returned early with nothing selected and nobody woke us: the JDK epoll spin (JDK-6670302).
            if (++prematureSelects >= pool.options().selectorRebuildThreshold()) {
                log.warn("{}: {} premature empty selects in a row; rebuilding the selector",
                        thread.getName(), prematureSelects);
                rebuildSelector(prematureSelects);
            }
        } else {
            prematureSelects = 0;
        }
    }

    /** -1 to block until woken, 0 to poll, else the wait bounded by the nearest timer. */
    private long selectTimeoutMillis() {
        Timer t;
        while ((t = timers.peek()) != null && t.isCancelled()) {
            timers.poll();
            setCount(C_PENDING_TIMERS, timers.size());
        }
        long bound = -1;
        if (pool.isShuttingDown()) {
            bound = Math.max(1, TimeUnit.NANOSECONDS.toMillis(pool.shutdownCheckNanos(lastWorkNanos)) + 1);
        }
        if (t == null) {
            return bound;
        }
        long nanos = t.deadlineNanos - clock.nanoTime();
        if (nanos <= 0) {
            return 0;
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos + 999_999);
        return bound < 0 ? ms : Math.min(ms, bound);
    }

    private void processKey(SelectionKey k) {
        if (roundStart == 0) {
            roundStart = beginWork();
        }
        Slot s = (Slot) k.attachment();
        int ready;
        try {
            ready = k.readyOps();
        } catch (CancelledKeyException e) {
            fail(s, e);
            return;
        }
        handleReady(s,
                (ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0,
                (ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0);
    }

    /** Runs a ready slot's handler: poll-out, then poll-in. Timed by the caller. */
    private void handleReady(Slot s, boolean in, boolean out) {
        if (s.isClosed()) {
            inc(C_STALE);
            return;
        }
        try {
            if (out) {
                inc(C_EVENTS);
                s.handler().handle(s, false, true, false);
            }
            if (in && s.isOpen()) {
                SelectionKey k = s.key;
                if (k != null && k.isValid()) {
                    inc(C_EVENTS);
                    s.handler().handle(s, true, false, false);
                } else {
                    fail(s, new CancelledKeyException());
                }
            }
        } catch (Throwable t) {
            fail(s, t);
        }
    }

    /** The select round's handlers are done: one piece of work for the watchdog and the longest-work metric. */
    private void endRound() {
        if (roundStart != 0) {
            endWork(roundStart);
            roundStart = 0;
        }
    }

    private void runCommands() {
        for (int i = 0; i < MAX_COMMANDS_PER_LOOP; i++) {
            Command c = queue.poll();
            if (c == null) {
                return;
            }
            run(c);
        }
    }

    private void run(Command c) {
        long t0 = beginWork();
        try {
            inc(C_TASKS);
            c.run(this);
        } finally {
            endWork(t0);
        }
    }

    /** A command for {@code s} made at generation {@code gen}: whether it is stale, and if so it is counted. */
    boolean dropIfStale(Slot s, long gen) {
        if (isStale(s, gen)) {
            inc(C_STALE);
            return true;
        }
        return false;
    }

    /** A close request for {@code s} reached its owner. */
    void closeRequested(Slot s) {
        if (s.isClosed()) {
            inc(C_STALE);
        } else {
            finish(s);
        }
    }

    void runTask(Runnable task, Slot slot) {
        try {
            task.run();
        } catch (Throwable t) {
            if (slot != null) {
                fail(slot, t);
            } else {
                log.warn("{}: a task threw", thread.getName(), t);
            }
        }
    }

    void register(Slot s) {
        if (s.isClosed()) {
            return;
        }
        if (pool.isShuttingDown() && pool.shutdownStarted()) {
            fail(s, pool.shutdownException());
            return;
        }
        try {
            s.key = s.channel().register(selector, s.interestOps(), s);
            addCount(C_SLOTS, 1);
        } catch (Throwable t) {
            fail(s, t);
            return;
        }
        if (!s.isOpen()) {
            // close() raced with the registration and found no key yet; its CLOSE command may be elsewhere.
            finish(s);
        }
    }

    void addTimer(Timer t) {
        timers.add(t);
        if (timers.size() > timerPurgeThreshold) {
            timers.removeIf(Timer::isCancelled);
            timerPurgeThreshold = Math.max(1024, timers.size() * 2);
        }
        setCount(C_PENDING_TIMERS, timers.size());
    }

    private void fireTimers() {
        if (timers.isEmpty()) {
            return;
        }
        long now = clock.nanoTime();
        Timer t;
        while ((t = timers.peek()) != null && t.deadlineNanos - now <= 0) {
            timers.poll();
            t.done = true;
            if (t.isCancelled()) {
                continue;
            }
            if (t.slot != null && isStale(t.slot, t.generation)) {
                inc(C_STALE);
                continue;
            }
            long t0 = beginWork();
            try {
                inc(C_TIMERS);
                runTask(t.task, t.slot);
            } finally {
                endWork(t0);
            }
        }
        setCount(C_PENDING_TIMERS, timers.size());
    }

    private boolean isStale(Slot s, long gen) {
        return s.isClosed() || pool.currentGeneration(s.index()) != gen;
    }

    /** A failure on the owner: the slot closes with {@code cause} unless it already has. */
    void fail(Slot s, Throwable cause) {
        if (s.markFailing(cause)) {
            finish(s);
        }
    }

    /** Closes a slot on its owner, once: cancel the key, close the channel, release the index, final pollErr. */
    private void finish(Slot s) {
        if (s.isClosed()) {
            return;
        }
        s.markFailing(null);
        SelectionKey k = s.key;
        if (k != null) {
            k.cancel();
            s.key = null;
            addCount(C_SLOTS, -1);
            // Closed once the next select (which sleeps at most CLOSE_WITHIN_MILLIS while any wait) has
            // deregistered it: closing a channel still registered costs the JDK a getsockopt(SO_LINGER) and a
            // shutdown(SHUT_WR), and it defers the close itself to that select anyway.
            deregistering.add(s.channel());
        } else {
            close(s.channel());
        }
        s.markClosed();
        pool.releaseSlot(s);
        try {
            s.handler().handle(s, false, false, true);
        } catch (Throwable t) {
            log.warn("{}: the final pollErr handler of {} threw", thread.getName(), s, t);
        }
    }

    /** Closes {@code channels}: the last select deregistered them (or the selector is closed). */
    private void closeDeregistered(ArrayList<SelectableChannel> channels) {
        int n = channels.size();
        if (n == 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            close(channels.get(i));
        }
        channels.clear();
    }

    private void close(SelectableChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("{}: closing {} failed", thread.getName(), channel, e);
        }
    }

    private void rebuildSelector(int premature) {
        SelectorRebuilt event = new SelectorRebuilt();
        event.begin();
        Selector old = selector;
        Selector fresh;
        try {
            fresh = Selector.open();
        } catch (IOException e) {
            log.warn("{}: could not open a new selector; keeping the old one", thread.getName(), e);
            return;
        }
        List<SelectionKey> keys;
        try {
            keys = new ArrayList<>(old.keys());
        } catch (ClosedSelectorException e) {
            keys = List.of();
        }
        for (SelectionKey k : keys) {
            Slot s = (Slot) k.attachment();
            if (!k.isValid()) {
                continue;
            }
            try {
                int ops = k.interestOps();
                k.cancel();
                s.key = s.channel().register(fresh, ops, s);
            } catch (Exception e) {
                s.key = null;
                addCount(C_SLOTS, -1);
                fail(s, e);
            }
        }
        selector = fresh;
        prematureSelects = 0;
        inc(C_REBUILDS);
        if (event.shouldCommit()) {
            event.poller = thread.getName();
            event.prematureSelects = premature;
            event.keys = keys.size();
            event.commit();
        }
        try {
            old.close();
        } catch (IOException e) {
            log.debug("{}: closing the old selector failed", thread.getName(), e);
        }
    }

    /** Moves every slot, timer and queued command to the pollers that remain, then ends this thread. */
    private void migrateAway() {
        runCommands();
        List<SelectionKey> keys = new ArrayList<>(selector.keys());
        for (SelectionKey k : keys) {
            if (!k.isValid()) {
                continue;
            }
            Slot s = (Slot) k.attachment();
            k.cancel();
            s.key = null;
            addCount(C_SLOTS, -1);
            Poller target = pool.choosePoller(s.channel());
            // Queue the adoption before publishing the new owner: whatever is queued to the new owner later
            // then runs after the slot is registered there.
            target.enqueue(Command.register(s));
            s.owner(target);
        }
        for (Timer t : timers) {
            if (!t.isCancelled()) {
                Poller target = t.slot != null ? t.slot.poller() : pool.choosePoller(null);
                target.enqueue(Command.addTimer(t));
            }
        }
        timers.clear();
        setCount(C_PENDING_TIMERS, 0);
        state = RETIRED;
        forwardQueued();
        log.debug("{} retired; {} slots moved", thread.getName(), keys.size());
    }

    private void forwardQueued() {
        Command c;
        while ((c = queue.poll()) != null) {
            Poller target;
            if (c.slot != null) {
                target = c.slot.poller();
                if (target == this) {
                    target = pool.choosePoller(c.slot.channel());
                    c.slot.owner(target);
                }
            } else {
                target = pool.choosePoller(null);
            }
            target.enqueue(c);
        }
    }

    private boolean shutdownDue() {
        return pool.shutdownCheckNanos(lastWorkNanos) <= 0;
    }

    /** Shutdown: every slot gets its final pollErr once, queued work runs, timers are dropped. */
    private void closeEverything() {
        pool.markShutdownStarted();
        state = TERMINATED;
        PoolShutdownException cause = pool.shutdownException();
        for (int round = 0; round < 16; round++) {
            List<SelectionKey> keys;
            try {
                keys = new ArrayList<>(selector.keys());
            } catch (ClosedSelectorException e) {
                keys = List.of();
            }
            for (SelectionKey k : keys) {
                Slot s = (Slot) k.attachment();
                if (!s.isClosed()) {
                    fail(s, cause);
                }
            }
            Command c;
            boolean ran = false;
            while ((c = queue.poll()) != null) {
                ran = true;
                run(c);
            }
            if (!ran) {
                break;
            }
        }
        timers.clear();
        setCount(C_PENDING_TIMERS, 0);
    }

    private long beginWork() {
        long t0 = System.nanoTime();
        busySince = t0;
        return t0;
    }

    private void endWork(long t0) {
        busySince = 0;
        long now = System.nanoTime();
        lastWorkNanos = now;
        long d = now - t0;
        if (d > counts[C_LONGEST]) {
            COUNTS.setRelease(counts, C_LONGEST, d);
        }
    }

    /** Called by the watchdog thread: whether this busy period was already reported. */
    boolean shouldReport(long since) {
        if (watchdogReported == since) {
            return false;
        }
        watchdogReported = since;
        return true;
    }

    private void inc(int i) {
        COUNTS.setRelease(counts, i, counts[i] + 1);
    }

    private void addCount(int i, long d) {
        COUNTS.setRelease(counts, i, counts[i] + d);
    }

    private void setCount(int i, long v) {
        COUNTS.setRelease(counts, i, v);
    }

    private long get(int i) {
        return (long) COUNTS.getAcquire(counts, i);
    }
}
