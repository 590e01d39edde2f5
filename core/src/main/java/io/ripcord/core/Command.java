package io.ripcord.core;

import java.util.function.BiConsumer;

/**
 * Work queued to a poller: one small class per kind, each with only the fields its kind needs and the code that
 * runs it on the poller. A command aimed at a slot carries the generation it was made for; the poller drops it
 * (counting it as stale) if the slot at that index is no longer of that generation.
 *
 * <p>Thread rules: made on any thread, queued through the poller's lock-free queue, run on the poller (or
 * forwarded to the slot's new owner when a resize retires the poller).
 */
abstract class Command {

    /** The slot it is aimed at, or {@code null} for work that belongs to no slot. */
    final Slot slot;
    /** The slot's generation when the command was made. */
    final long generation;

    private Command(Slot slot, long generation) {
        this.slot = slot;
        this.generation = generation;
    }

    /** Runs on {@code poller}, the owner of {@link #slot} (or any poller for slot-less work). */
    abstract void run(Poller poller);

    /** A task of the pool's or a poller's, run whatever slots do. */
    static Command task(Runnable task) {
        return new Task(null, 0, task);
    }

    /** A task aimed at {@code slot}: dropped if the slot has closed by the time it would run. */
    static Command slotTask(Slot slot, Runnable task) {
        return new Task(slot, slot.generation(), task);
    }

    /** A change of the readiness {@code slot} waits for. */
    static Command interest(Slot slot, boolean read, boolean write) {
        return new Interest(slot, read, write);
    }

    /** A requested close of {@code slot}. */
    static Command close(Slot slot) {
        return new SlotStep(slot, Poller::closeRequested);
    }

    /** The registration of {@code slot} with its (new) owner's selector. */
    static Command register(Slot slot) {
        return new SlotStep(slot, Poller::register);
    }

    /** A timer made on another thread, to join the poller's timer queue. */
    static Command addTimer(Timer timer) {
        return new AddTimer(timer);
    }

    /** A task; one aimed at a slot is dropped if the slot has closed, and its exception closes the slot. */
    private static final class Task extends Command {
        private final Runnable task;

        Task(Slot slot, long generation, Runnable task) {
            super(slot, generation);
            this.task = task;
        }

        @Override
        void run(Poller poller) {
            if (slot == null || !poller.dropIfStale(slot, generation)) {
                poller.runTask(task, slot);
            }
        }
    }

    private static final class Interest extends Command {
        private final boolean read;
        private final boolean write;

        Interest(Slot slot, boolean read, boolean write) {
            super(slot, slot.generation());
            this.read = read;
            this.write = write;
        }

        @Override
        void run(Poller poller) {
            poller.applyInterest(slot, generation, read, write);
        }
    }

    /** One of the poller's own steps for a slot (close it, register it), which check the slot themselves. */
    private static final class SlotStep extends Command {
        private final BiConsumer<Poller, Slot> step;

        SlotStep(Slot slot, BiConsumer<Poller, Slot> step) {
            super(slot, slot.generation());
            this.step = step;
        }

        @Override
        void run(Poller poller) {
            step.accept(poller, slot);
        }
    }

    private static final class AddTimer extends Command {
        private final Timer timer;

        AddTimer(Timer timer) {
            super(timer.slot, timer.generation);
            this.timer = timer;
        }

        @Override
        void run(Poller poller) {
            if (timer.slot == null || !poller.dropIfStale(timer.slot, timer.generation)) {
                if (!timer.isCancelled()) {
                    poller.addTimer(timer);
                }
            }
        }
    }
}
