package io.ripcord.core;

import java.nio.channels.SelectableChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the poller that will own a new slot, or run a task given to the pool rather than to a poller.
 *
 * <p>Called from any thread, concurrently: implementations must be thread-safe and must not block.
 */
@FunctionalInterface
public interface PollerChooser {

    /**
     * Picks one of {@code pollers}.
     *
     * @param pollers the running pollers, never empty, in index order; do not modify
     * @param channel the channel about to be registered, or {@code null} when placing a task or timer
     * @return one element of {@code pollers}, never {@code null}
     */
    Poller choose(List<Poller> pollers, SelectableChannel channel);

    /**
     * A round-robin chooser: the default, as GlusterFS's acceptor hands sockets out in turn.
     *
     * @return a new chooser with its own turn counter, which starts at the first poller
     */
    static PollerChooser roundRobin() {
        AtomicInteger next = new AtomicInteger();
        return (pollers, channel) -> pollers.get(Math.floorMod(next.getAndIncrement(), pollers.size()));
    }

    /**
     * A chooser that balances by load rather than by turn.
     *
     * @return a chooser that picks the poller owning the fewest slots (a count read without a lock, so two
     *     registrations at once may pick the same poller); ties go to the lowest index
     */
    static PollerChooser leastSlots() {
        return (pollers, channel) -> {
            Poller best = pollers.get(0);
            int fewest = best.slotCount();
            for (int i = 1; i < pollers.size(); i++) {
                Poller p = pollers.get(i);
                int n = p.slotCount();
                if (n < fewest) {
                    best = p;
                    fewest = n;
                }
            }
            return best;
        };
    }
}
