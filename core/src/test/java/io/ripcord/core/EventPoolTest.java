package io.ripcord.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.concurrent.CompletableFuture;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventPoolTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private EventPool pool;

    private EventPool pool(int n) {
        pool = EventPool.create(EventPoolOptions.builder().pollers(n).threadNamePrefix("test-poller").build());
        return pool.start();
    }

    private Pipe pipe() throws IOException {
        Pipe p = Pipe.open();
        toClose.add(p.sink());
        toClose.add(p.source());
        return p;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (pool != null) {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    /** Runs {@code r} on {@code p} and waits for it. */
    private static void onPoller(Poller p, Runnable r) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> err = new AtomicReference<>();
        p.execute(() -> {
            try {
                r.run();
            } catch (Throwable t) {
                err.set(t);
            } finally {
                done.countDown();
            }
        });
        assertTrue(done.await(10, TimeUnit.SECONDS), "task on " + p + " did not run");
        if (err.get() != null) {
            throw new AssertionError(err.get());
        }
    }

    @Test
    void readableChannelIsHandledOnItsOwnerPoller() throws Exception {
        pool(2);
        Pipe p = pipe();
        CountDownLatch read = new CountDownLatch(1);
        AtomicReference<Thread> thread = new AtomicReference<>();
        Slot slot = pool.register(p.source(), (s, in, out, err) -> {
            if (in) {
                thread.set(Thread.currentThread());
                ((Pipe.SourceChannel) s.channel()).read(ByteBuffer.allocate(16));
                read.countDown();
            }
        }, true, false);
        p.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertTrue(read.await(5, TimeUnit.SECONDS));
        assertSame(slot.poller().thread(), thread.get());
    }

    @Test
    void staleGenerationTaskTimerInterestAndEventAreDropped() throws Exception {
        pool(1);
        Poller poller = pool.pollers().get(0);
        AtomicInteger errs = new AtomicInteger();
        Pipe a = pipe();
        Slot old = pool.register(a.source(), (s, in, out, err) -> errs.incrementAndGet(), false, false);
        old.close();
        await().atMost(Duration.ofSeconds(5)).until(old::isClosed);
        Pipe b = pipe();
        AtomicInteger events = new AtomicInteger();
        Slot fresh = pool.register(b.source(), (s, in, out, err) -> {
            if (!err) {
                events.incrementAndGet();
            }
        }, false, false);
        assertEquals(old.index(), fresh.index(), "the index is reused");
        assertTrue(fresh.generation() > old.generation(), "with a higher generation");

        long staleBefore = poller.metrics().staleDropped();
        AtomicInteger ran = new AtomicInteger();
        old.execute(ran::incrementAndGet);
        old.schedule(ran::incrementAndGet, 1, TimeUnit.MILLISECONDS);
        old.selectOn(true, true);
        onPoller(poller, () -> {
            poller.dispatchEvent(fresh, old.generation(), true, false);
            poller.dispatchEvent(old, old.generation(), true, false);
        });
        // The fresh slot still works: a task aimed at it with its own generation runs.
        CountDownLatch freshRan = new CountDownLatch(1);
        fresh.schedule(freshRan::countDown, 5, TimeUnit.MILLISECONDS);
        assertTrue(freshRan.await(5, TimeUnit.SECONDS));
        assertEquals(0, ran.get(), "stale task and timer must not run");
        assertEquals(0, events.get(), "stale events must not reach the new occupant");
        assertEquals(1, errs.get(), "the old slot had exactly one final pollErr");
        assertTrue(poller.metrics().staleDropped() >= staleBefore + 5,
                "dropped: " + (poller.metrics().staleDropped() - staleBefore));
    }

    @Test
    void closeHappensExactlyOnceWhenEightThreadsUnregisterTheSameSlot() throws Exception {
        pool(2);
        for (int round = 0; round < 50; round++) {
            Pipe p = pipe();
            AtomicInteger finals = new AtomicInteger();
            Slot slot = pool.register(p.source(), (s, in, out, err) -> {
                if (err) {
                    finals.incrementAndGet();
                }
            }, true, false);
            CyclicBarrier start = new CyclicBarrier(8);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    slot.close();
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
            await().atMost(Duration.ofSeconds(5)).until(slot::isClosed);
            // Let the owner run anything else that might still be queued for the slot, then count.
            onPoller(slot.poller(), () -> { });
            assertEquals(1, finals.get(), "round " + round);
            assertFalse(p.source().isOpen(), "channel closed");
            assertNull(slot.failure(), "a requested close has no failure");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.openSlots() == 0);
    }

    @Test
    void taskFromAnotherThreadRunsPromptlyWhileThePollerSleeps() throws Exception {
        pool(1);
        Poller poller = pool.pollers().get(0);
        for (int i = 0; i < 20_000; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            poller.execute(ran::countDown);
            assertTrue(ran.await(5, TimeUnit.SECONDS), "lost wakeup at task " + i);
        }
        assertTrue(poller.metrics().wakeups() > 0, "the sleeping poller was woken");
    }

    @Test
    void noWakeupIsMadeFromThePollersOwnThread() throws Exception {
        pool(1);
        Poller poller = pool.pollers().get(0);
        Pipe p = pipe();
        Slot slot = pool.register(p.source(), (s, in, out, err) -> { }, true, false);
        CountDownLatch allRan = new CountDownLatch(3000);
        AtomicLong before = new AtomicLong();
        AtomicLong after = new AtomicLong();
        onPoller(poller, () -> {
            before.set(poller.metrics().wakeups());
            for (int i = 0; i < 1000; i++) {
                poller.execute(allRan::countDown);
                slot.execute(allRan::countDown);
                poller.schedule(allRan::countDown, 0, TimeUnit.MILLISECONDS);
                slot.selectOn(i % 2 == 0, false);
            }
            after.set(poller.metrics().wakeups());
        });
        assertTrue(allRan.await(5, TimeUnit.SECONDS));
        assertEquals(before.get(), after.get(), "no selector wakeup from the poller itself");
    }

    @Test
    void pollOutIsHandledBeforePollIn() throws Exception {
        pool(1);
        SocketPair pair = SocketPair.open();
        toClose.add(pair);
        pair.right.write(ByteBuffer.wrap(new byte[] {7}));
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch both = new CountDownLatch(1);
        pool.register(pair.left, (s, in, out, err) -> {
            if (out) {
                order.add("out");
            }
            if (in) {
                order.add("in");
                ((SocketChannel) s.channel()).read(ByteBuffer.allocate(8));
                s.selectOn(false, false);
                both.countDown();
            }
        }, true, true);
        assertTrue(both.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("out", "in"), order.subList(0, 2));
    }

    @Test
    void exceptionInAHandlerDisconnectsThatSlotOnly() throws Exception {
        pool(1);
        Pipe bad = pipe();
        Pipe good = pipe();
        AtomicInteger badFinals = new AtomicInteger();
        AtomicReference<Throwable> cause = new AtomicReference<>();
        Slot badSlot = pool.register(bad.source(), (s, in, out, err) -> {
            if (err) {
                badFinals.incrementAndGet();
                cause.set(s.failure());
                return;
            }
            throw new IllegalStateException("boom");
        }, true, false);
        AtomicInteger goodReads = new AtomicInteger();
        Slot goodSlot = pool.register(good.source(), (s, in, out, err) -> {
            if (in) {
                ByteBuffer b = ByteBuffer.allocate(64);
                goodReads.addAndGet(((Pipe.SourceChannel) s.channel()).read(b));
            }
        }, true, false);
        bad.sink().write(ByteBuffer.wrap(new byte[] {1}));
        await().atMost(Duration.ofSeconds(5)).until(badSlot::isClosed);
        good.sink().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        await().atMost(Duration.ofSeconds(5)).until(() -> goodReads.get() == 3);
        onPoller(badSlot.poller(), () -> { });
        assertEquals(1, badFinals.get());
        assertEquals("boom", cause.get().getMessage());
        assertTrue(goodSlot.isOpen());
        assertFalse(bad.source().isOpen());
    }

    @Test
    void timersFireInDeadlineOrderAndCancelledOnesDoNot() throws Exception {
        pool(1);
        List<Integer> fired = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch last = new CountDownLatch(1);
        pool.schedule(() -> fired.add(3), 60, TimeUnit.MILLISECONDS);
        pool.schedule(() -> fired.add(1), 20, TimeUnit.MILLISECONDS);
        Timer cancelled = pool.schedule(() -> fired.add(99), 40, TimeUnit.MILLISECONDS);
        pool.schedule(() -> fired.add(2), 40, TimeUnit.MILLISECONDS);
        pool.schedule(last::countDown, 80, TimeUnit.MILLISECONDS);
        assertTrue(cancelled.cancel());
        long t0 = System.nanoTime();
        assertTrue(last.await(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(70), "not early");
        assertEquals(List.of(1, 2, 3), fired);
        assertEquals(4, pool.metrics().get(0).timersFired());
    }

    @Test
    void timersRunByThePoolsClockNotByRealTime() throws Exception {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000);
        pool = EventPool.create(EventPoolOptions.builder().pollers(1).clock(now::get).build()).start();
        Poller p = pool.pollers().get(0);
        CountDownLatch fired = new CountDownLatch(1);
        Timer t = p.schedule(fired::countDown, 1, TimeUnit.HOURS);
        assertEquals(60, t.delay(TimeUnit.MINUTES));
        // A full hour of the clock's time passes in no real time. Timers fire in deadline order, so once a timer
        // due now has run, every timer due by now has too.
        now.addAndGet(TimeUnit.HOURS.toNanos(1) - 1);
        timersDueNowRan(p);
        assertEquals(1, fired.getCount(), "not one nanosecond early");
        now.incrementAndGet();
        timersDueNowRan(p);
        assertEquals(0, fired.getCount());
        assertEquals(0, t.delay(TimeUnit.NANOSECONDS));
    }

    private static void timersDueNowRan(Poller p) throws InterruptedException {
        CountDownLatch marker = new CountDownLatch(1);
        p.schedule(marker::countDown, 0, TimeUnit.NANOSECONDS);
        assertTrue(marker.await(5, TimeUnit.SECONDS));
    }

    @Test
    void workHandedToAShutDownPoolIsDroppedNotBouncedBetweenItsPollers() throws Exception {
        pool(2);
        Pipe p = pipe();
        Slot s = pool.register(p.source(), (sl, in, out, err) -> { }, true, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.openSlots() == 1);
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        // As a TLS delegated task finishing late does: from a thread of its own, to a slot of the stopped pool.
        List<String> ran = new ArrayList<>();
        CompletableFuture.runAsync(() -> s.execute(() -> ran.add("ran"))).get(10, TimeUnit.SECONDS);
        assertTrue(ran.isEmpty());
    }

    @Test
    void aSleepingPollerWakesForItsNearestTimer() throws Exception {
        pool(1);
        // Nothing else happens on this pool: only the timer's deadline can end the select.
        CountDownLatch fired = new CountDownLatch(1);
        long t0 = System.nanoTime();
        pool.pollers().get(0).schedule(fired::countDown, 100, TimeUnit.MILLISECONDS);
        assertTrue(fired.await(5, TimeUnit.SECONDS));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms >= 99, "fired after " + ms + " ms");
    }

    @Test
    void leastSlotsChooserPicksThePollerWithFewestSlots() throws Exception {
        pool = EventPool.create(EventPoolOptions.builder().pollers(3).chooser(PollerChooser.leastSlots()).build());
        pool.start();
        Poller p0 = pool.pollers().get(0);
        for (int i = 0; i < 3; i++) {
            pool.register(pipe().source(), (s, in, out, err) -> { }, true, false, p0);
        }
        pool.register(pipe().source(), (s, in, out, err) -> { }, true, false, pool.pollers().get(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> p0.slotCount() == 3 && pool.pollers().get(1).slotCount() == 1);
        Slot s = pool.register(pipe().source(), (sl, in, out, err) -> { }, true, false);
        assertSame(pool.pollers().get(2), s.poller());
    }

    @Test
    void registeringOnTheOwnPollerTakesEffectAtOnceWithoutACommand() throws Exception {
        pool(2);
        Poller p0 = pool.pollers().get(0);
        Pipe own = pipe();
        Pipe other = pipe();
        own.sink().write(ByteBuffer.wrap(new byte[] {1}));
        CountDownLatch read = new CountDownLatch(1);
        long[] seen = new long[4];
        // Poller 1 is held busy by a task queued first, so the registration queued behind it cannot have run
        // when poller 0 reads poller 1's count.
        CountDownLatch hold = new CountDownLatch(1);
        pool.pollers().get(1).execute(() -> {
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        onPoller(p0, () -> {
            try {
                long tasks = p0.metrics().tasks();
                int slots = p0.slotCount();
                pool.register(own.source(), (s, in, out, err) -> {
                    if (in) {
                        read.countDown();
                    }
                }, true, false, p0);
                seen[0] = p0.slotCount() - slots;
                seen[1] = p0.metrics().tasks() - tasks;
                int otherSlots = pool.pollers().get(1).slotCount();
                pool.register(other.source(), (s, in, out, err) -> { }, true, false, pool.pollers().get(1));
                seen[2] = pool.pollers().get(1).slotCount() - otherSlots;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(1, seen[0], "registered on its own poller: counted before register() returns");
        assertEquals(0, seen[1], "no command ran for it");
        hold.countDown();
        assertEquals(0, seen[2], "registered on another poller: queued to it");
        assertTrue(read.await(10, TimeUnit.SECONDS), "the readable channel was never handled");
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.pollers().get(1).slotCount() == 1);
    }

    @Test
    void roundRobinSpreadsSlotsInTurn() throws Exception {
        pool(3);
        List<Integer> owners = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            owners.add(pool.register(pipe().source(), (s, in, out, err) -> { }, true, false).poller().index());
        }
        assertEquals(List.of(0, 1, 2, 0, 1, 2), owners);
    }

    @Test
    void resizeUpAndDownUnderASteadyStreamOfEventsLosesNone() throws Exception {
        pool(2);
        int channels = 16;
        int perChannel = 2000;
        List<Pipe> pipes = new ArrayList<>();
        AtomicLong received = new AtomicLong();
        AtomicInteger finals = new AtomicInteger();
        for (int i = 0; i < channels; i++) {
            Pipe p = pipe();
            pipes.add(p);
            ByteBuffer buf = ByteBuffer.allocateDirect(4096);
            pool.register(p.source(), (s, in, out, err) -> {
                if (err) {
                    finals.incrementAndGet();
                    return;
                }
                buf.clear();
                int n = ((Pipe.SourceChannel) s.channel()).read(buf);
                if (n > 0) {
                    received.addAndGet(n);
                }
            }, true, false);
        }
        AtomicInteger tasksRan = new AtomicInteger();
        AtomicInteger timersRan = new AtomicInteger();
        Thread writer = new Thread(() -> {
            try {
                for (int r = 0; r < perChannel; r++) {
                    for (Pipe p : pipes) {
                        ByteBuffer b = ByteBuffer.wrap(new byte[] {(byte) r});
                        while (b.hasRemaining()) {
                            p.sink().write(b);
                        }
                    }
                    pool.execute(tasksRan::incrementAndGet);
                    pool.schedule(timersRan::incrementAndGet, r % 20, TimeUnit.MILLISECONDS);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        int[] sizes = {4, 1, 3, 2, 1, 4, 2};
        for (int n : sizes) {
            pool.reconfigure(n).get(10, TimeUnit.SECONDS);
            assertEquals(n, pool.pollers().size());
        }
        writer.join();
        long expected = (long) channels * perChannel;
        await().atMost(Duration.ofSeconds(20)).until(() -> received.get() == expected
                && tasksRan.get() == perChannel && timersRan.get() == perChannel);
        int slots = 0;
        for (Poller p : pool.pollers()) {
            slots += p.slotCount();
        }
        assertEquals(channels, slots, "every slot still owned by a live poller");
        assertEquals(0, finals.get(), "no slot was closed by the moves");
    }

    @Test
    void shutdownWithSlotsStillRegisteredClosesEachOnce() throws Exception {
        pool(2);
        AtomicInteger finals = new AtomicInteger();
        List<Slot> slots = new ArrayList<>();
        List<Throwable> causes = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 100; i++) {
            slots.add(pool.register(pipe().source(), (s, in, out, err) -> {
                if (err) {
                    finals.incrementAndGet();
                    causes.add(s.failure());
                }
            }, true, false));
        }
        pool.shutdown(Duration.ofMillis(50), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertTrue(pool.isTerminated());
        assertEquals(100, finals.get());
        for (Slot s : slots) {
            assertTrue(s.isClosed());
            assertFalse(s.channel().isOpen());
        }
        for (Throwable c : causes) {
            assertTrue(c instanceof PoolShutdownException, String.valueOf(c));
        }
        for (Poller p : pool.pollers()) {
            assertFalse(p.thread().isAlive(), p + " ended");
        }
        assertThrows(PoolShutdownException.class, () -> pool.execute(() -> { }));
        assertThrows(PoolShutdownException.class, () -> pool.register(pipe().source(), (s, i, o, e) -> { }, true, false));
        pool = null;
    }

    @Test
    void shutdownRunsTasksQueuedBeforeIt() throws Exception {
        pool(1);
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch gate = new CountDownLatch(1);
        pool.execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 100; i++) {
            pool.execute(ran::incrementAndGet);
        }
        var done = pool.shutdown(Duration.ZERO, Duration.ofSeconds(5));
        gate.countDown();
        done.get(10, TimeUnit.SECONDS);
        assertEquals(100, ran.get());
        pool = null;
    }

    @Test
    void dispatchBlocksUntilThePoolIsShutDown() throws Exception {
        pool = EventPool.create(EventPoolOptions.builder().pollers(2).build());
        AtomicReference<Throwable> err = new AtomicReference<>();
        CountDownLatch returned = new CountDownLatch(1);
        Thread main = new Thread(() -> {
            try {
                pool.dispatch();
            } catch (Throwable t) {
                err.set(t);
            }
            returned.countDown();
        });
        main.start();
        CountDownLatch ran = new CountDownLatch(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.pollers().get(0).isStarted());
        pool.execute(ran::countDown);
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        assertFalse(returned.await(50, TimeUnit.MILLISECONDS), "dispatch returned while running");
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5));
        assertTrue(returned.await(10, TimeUnit.SECONDS));
        assertNull(err.get());
        pool = null;
    }

    @Test
    void selectorRebuildKeepsEveryKeyWorking() throws Exception {
        pool(1);
        Poller poller = pool.pollers().get(0);
        int n = 20;
        List<Pipe> pipes = new ArrayList<>();
        AtomicLong received = new AtomicLong();
        for (int i = 0; i < n; i++) {
            Pipe p = pipe();
            pipes.add(p);
            pool.register(p.source(), (s, in, out, err) -> {
                if (in) {
                    received.addAndGet(((Pipe.SourceChannel) s.channel()).read(ByteBuffer.allocate(64)));
                }
            }, true, false);
        }
        // Data waiting before the rebuild must still be reported afterwards.
        for (Pipe p : pipes) {
            p.sink().write(ByteBuffer.wrap(new byte[] {1}));
        }
        List<jdk.jfr.consumer.RecordedEvent> events = recorded("io.ripcord.SelectorRebuilt",
                () -> onPoller(poller, poller::rebuildSelectorForTest));
        assertEquals(1, poller.metrics().selectorRebuilds());
        assertEquals(1, events.size(), "one JFR event per rebuild");
        assertEquals(n, events.get(0).getInt("keys"));
        assertEquals(poller.toString(), events.get(0).getString("poller"));
        for (Pipe p : pipes) {
            p.sink().write(ByteBuffer.wrap(new byte[] {2}));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> received.get() == 2L * n);
        assertEquals(n, poller.slotCount());
    }

    @Test
    void watchdogReportsAPollerHeldTooLong() throws Exception {
        pool = EventPool.create(EventPoolOptions.builder().pollers(1)
                .blockedPollerThreshold(Duration.ofMillis(50)).build()).start();
        CountDownLatch release = new CountDownLatch(1);
        List<jdk.jfr.consumer.RecordedEvent> events = recorded("io.ripcord.PollerBlocked", () -> {
            pool.execute(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> pool.blockedPollerReports() == 1);
        });
        release.countDown();
        assertEquals(1, events.size(), "one JFR event per report");
        assertTrue(events.get(0).getDuration("heldNanos").toMillis() >= 50, events.get(0).toString());
        assertTrue(events.get(0).getString("stack").contains("CountDownLatch.await"), events.get(0).toString());
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.metrics().get(0).longestHandlerNanos()
                >= TimeUnit.MILLISECONDS.toNanos(50));
        assertEquals(1, pool.blockedPollerReports(), "one report per blocked episode");
    }

    @Test
    void theHandlersOfOneSelectRoundAreTimedAsOnePieceOfWork() throws Exception {
        pool(1);
        Poller poller = pool.pollers().get(0);
        Pipe a = pipe();
        Pipe b = pipe();
        CountDownLatch handled = new CountDownLatch(2);
        EventHandler slow = (s, in, out, err) -> {
            if (in) {
                ((Pipe.SourceChannel) s.channel()).read(ByteBuffer.allocate(8));
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(40);
                while (System.nanoTime() < end) {
                    Thread.onSpinWait(); // a handler doing 40 ms of work (busy, as a handler's work is)
                }
                handled.countDown();
            }
        };
        pool.register(a.source(), slow, true, false, poller);
        pool.register(b.source(), slow, true, false, poller);
        await().atMost(Duration.ofSeconds(5)).until(() -> poller.slotCount() == 2);
        // Both become readable while the poller is held, so that one select reports both.
        onPoller(poller, () -> {
            try {
                a.sink().write(ByteBuffer.wrap(new byte[] {1}));
                b.sink().write(ByteBuffer.wrap(new byte[] {1}));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(handled.await(10, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(5)).until(() -> poller.metrics().longestHandlerNanos()
                >= TimeUnit.MILLISECONDS.toNanos(80));
    }

    @Test
    void metricsCountSelectsEventsTasksAndSlots() throws Exception {
        pool(1);
        Pipe p = pipe();
        CountDownLatch read = new CountDownLatch(1);
        pool.register(p.source(), (s, in, out, err) -> {
            if (in) {
                ((Pipe.SourceChannel) s.channel()).read(ByteBuffer.allocate(8));
                read.countDown();
            }
        }, true, false);
        p.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertTrue(read.await(5, TimeUnit.SECONDS));
        onPoller(pool.pollers().get(0), () -> { });
        PollerMetrics m = pool.metrics().get(0);
        assertEquals(1, m.slots());
        assertEquals(1, m.events());
        assertTrue(m.tasks() >= 2, "register + task: " + m.tasks());
        assertTrue(m.selects() >= 1);
    }

    @Test
    void invalidOptionsAreRejectedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventPoolOptions.builder().pollers(0));
        assertTrue(e.getMessage().contains("pollers"));
        assertThrows(IllegalArgumentException.class,
                () -> EventPoolOptions.builder().blockedPollerThreshold(Duration.ofSeconds(-1)));
    }

    @Test
    void closeDisconnectsEverySlotOnceAndWaitsForThePollersToEnd() throws Exception {
        List<Thread> pollerThreads = new ArrayList<>();
        AtomicInteger finals = new AtomicInteger();
        Pipe p = pipe();
        try (EventPool closing = EventPool.create(EventPoolOptions.builder().pollers(2).threadNamePrefix("closing")
                .build()).start()) {
            for (Poller poller : closing.pollers()) {
                poller.execute(() -> {
                    synchronized (pollerThreads) {
                        pollerThreads.add(Thread.currentThread());
                    }
                });
            }
            closing.register(p.source(), (s, in, out, err) -> {
                if (err) {
                    finals.incrementAndGet();
                }
            }, true, false);
            await().atMost(5, TimeUnit.SECONDS).until(() -> {
                synchronized (pollerThreads) {
                    return pollerThreads.size() == 2;
                }
            });
        }
        assertEquals(1, finals.get(), "the slot's one final pollErr came before close() returned");
        for (Thread t : pollerThreads) {
            assertFalse(t.isAlive(), t + " still runs after close()");
        }
    }

    @Test
    void closeOnOneOfItsOwnPollersIsRefusedRatherThanWaitingForItself() throws Exception {
        pool(1);
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        pool.pollers().get(0).execute(() -> {
            try {
                pool.close();
                refused.complete(null);
            } catch (Throwable t) {
                refused.complete(t);
            }
        });
        Throwable t = refused.get(10, TimeUnit.SECONDS);
        assertTrue(t instanceof IllegalStateException, String.valueOf(t));
        assertFalse(pool.isShutdown(), "the refused close did not stop the pool");
    }

    @Test
    void daemonPollersDoNotKeepTheJvmAliveAndTheDefaultOnesDo() throws Exception {
        for (boolean daemon : new boolean[] {true, false}) {
            EventPoolOptions.Builder b = EventPoolOptions.builder().pollers(1).threadNamePrefix("daemon-" + daemon);
            if (daemon) {
                b.daemon(true);
            }
            try (EventPool p = EventPool.create(b.build()).start()) {
                CompletableFuture<Boolean> isDaemon = new CompletableFuture<>();
                p.pollers().get(0).execute(() -> isDaemon.complete(Thread.currentThread().isDaemon()));
                assertEquals(daemon, isDaemon.get(10, TimeUnit.SECONDS));
            }
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    /** The events named {@code name} that a JFR recording saw while {@code action} ran. */
    static List<jdk.jfr.consumer.RecordedEvent> recorded(String name, Action action) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("ripcord", ".jfr");
        try (jdk.jfr.Recording r = new jdk.jfr.Recording()) {
            r.enable(name).withoutThreshold();
            r.start();
            action.run();
            r.stop();
            r.dump(file);
            return jdk.jfr.consumer.RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals(name)).toList();
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void dumpStateListsEveryPollerAndEachSlotWithWhatItsHandlerSays() throws Exception {
        pool(2);
        Pipe p = pipe();
        pool.register(p.source(), new EventHandler() {
            @Override
            public void handle(Slot slot, boolean pollIn, boolean pollOut, boolean pollErr) {
            }

            @Override
            public String describe() {
                return "the pipe's reader";
            }
        }, true, false);
        StringBuilder out = new StringBuilder();
        pool.dumpState(out);
        String dump = out.toString();
        assertTrue(dump.startsWith(pool + ": 1 open slots, running"), dump);
        assertTrue(dump.contains("  poller 0 (") && dump.contains("  poller 1 ("), dump);
        assertEquals(1, dump.lines().filter(l -> l.startsWith("    Slot[") && l.endsWith(" interest in: the pipe's reader"))
                .count(), dump);
    }
}
