package io.ripcord.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * How an {@link EventPool} is built. Immutable; make one with {@link #builder()}.
 */
public final class EventPoolOptions {

    private final int pollers;
    private final PollerChooser chooser;
    private final String threadNamePrefix;
    private final ThreadFactory threadFactory;
    private final int selectorRebuildThreshold;
    private final Duration blockedPollerThreshold;
    private final Clock clock;

    private EventPoolOptions(Builder b) {
        this.pollers = b.pollers;
        this.chooser = b.chooser;
        this.threadNamePrefix = b.threadNamePrefix;
        this.threadFactory = b.threadFactory;
        this.selectorRebuildThreshold = b.selectorRebuildThreshold;
        this.blockedPollerThreshold = b.blockedPollerThreshold;
        this.clock = b.clock;
    }

    /**
     * The defaults, the same as {@code builder().build()}.
     *
     * @return options for one poller per available processor, non-daemon threads named {@code ripcord-poller-N},
     *     round robin, a selector rebuilt after 512 premature empty selects, a watchdog at 2 s and the system clock
     */
    public static EventPoolOptions defaults() {
        return builder().build();
    }

    /**
     * Starts a set of options from the defaults ({@link #defaults()}).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How many pollers the pool starts with.
     *
     * @return the number of poller threads, at least 1
     */
    public int pollers() {
        return pollers;
    }

    /**
     * Where new slots, and tasks given to the pool, go.
     *
     * @return the placement policy, never {@code null}
     */
    public PollerChooser chooser() {
        return chooser;
    }

    /**
     * The start of the poller threads' names: they are named {@code <prefix>-<index>}, the watchdog
     * {@code <prefix>-watchdog-<n>}.
     *
     * @return the prefix, not empty
     */
    public String threadNamePrefix() {
        return threadNamePrefix;
    }

    /**
     * What makes the poller threads.
     *
     * @return the factory; the pool names each thread it makes
     */
    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    /**
     * When a poller decides its selector spins (JDK-6670302) and replaces it.
     *
     * @return the number of premature empty selects in a row, at least 1
     */
    public int selectorRebuildThreshold() {
        return selectorRebuildThreshold;
    }

    /**
     * How long one task or timer, or one round of handlers, may hold a poller before the watchdog logs it with
     * the poller's stack.
     *
     * @return the limit in real time; {@link Duration#ZERO} means no watchdog
     */
    public Duration blockedPollerThreshold() {
        return blockedPollerThreshold;
    }

    /**
     * The time the pool's timers run by.
     *
     * @return {@link Clock#system()} unless a test set its own
     */
    public Clock clock() {
        return clock;
    }

    /** A builder of {@link EventPoolOptions}; not thread-safe. */
    public static final class Builder {
        private int pollers = Runtime.getRuntime().availableProcessors();
        private PollerChooser chooser;
        private String threadNamePrefix = "ripcord-poller";
        private ThreadFactory threadFactory = r -> {
            Thread t = new Thread(r);
            t.setDaemon(false);
            return t;
        };
        private int selectorRebuildThreshold = 512;
        private Duration blockedPollerThreshold = Duration.ofSeconds(2);
        private Clock clock = Clock.system();

        private Builder() {
        }

        /**
         * How many pollers the pool starts with; default one per available processor.
         *
         * @param n the number of poller threads
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder pollers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("pollers must be at least 1, got " + n);
            }
            this.pollers = n;
            return this;
        }

        /**
         * The placement policy; default {@link PollerChooser#roundRobin()}.
         *
         * @param chooser picks the poller for each new slot and each task given to the pool
         * @return this builder
         */
        public Builder chooser(PollerChooser chooser) {
            this.chooser = Objects.requireNonNull(chooser, "chooser");
            return this;
        }

        /**
         * The start of the thread names; default {@code ripcord-poller}. Give each pool of a process its own, so
         * that stack dumps and the watchdog's reports say which pool is which.
         *
         * @param prefix the prefix
         * @return this builder
         * @throws IllegalArgumentException if {@code prefix} is {@code null} or empty
         */
        public Builder threadNamePrefix(String prefix) {
            if (prefix == null || prefix.isEmpty()) {
                throw new IllegalArgumentException("threadNamePrefix must not be empty");
            }
            this.threadNamePrefix = prefix;
            return this;
        }

        /**
         * What makes the poller threads; the pool names them. Replaces whatever {@link #daemon} set: the last of
         * the two calls wins.
         *
         * @param factory makes one thread per poller; the default makes plain non-daemon threads
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "threadFactory");
            return this;
        }

        /**
         * Whether the pollers are daemon threads (default {@code false}: the pool keeps the JVM alive until it is
         * shut down, as a server's should). Replaces the thread factory with one that makes such threads.
         *
         * @param daemon {@code true} for daemon pollers, which do not keep the JVM alive
         * @return this builder
         */
        public Builder daemon(boolean daemon) {
            this.threadFactory = r -> {
                Thread t = new Thread(r);
                t.setDaemon(daemon);
                return t;
            };
            return this;
        }

        /**
         * After how many premature empty selects in a row a poller replaces its selector (JDK-6670302); default
         * 512.
         *
         * @param n the number of selects
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder selectorRebuildThreshold(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("selectorRebuildThreshold must be at least 1, got " + n);
            }
            this.selectorRebuildThreshold = n;
            return this;
        }

        /**
         * How long one task or timer, or one round of handlers, may hold a poller before the watchdog logs it;
         * default 2 s.
         *
         * @param limit the limit in real time; {@link Duration#ZERO} turns the watchdog off
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is negative
         */
        public Builder blockedPollerThreshold(Duration limit) {
            Objects.requireNonNull(limit, "blockedPollerThreshold");
            if (limit.isNegative()) {
                throw new IllegalArgumentException("blockedPollerThreshold must not be negative, got " + limit);
            }
            this.blockedPollerThreshold = limit;
            return this;
        }

        /**
         * The time the pool's timers run by (and that code on its pollers measures timeouts with); default
         * {@link Clock#system()}. A test's manual clock makes timeouts fire when the test moves it.
         *
         * @param clock the clock; it must be thread-safe and never go back
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Makes the options.
         *
         * @return new immutable options with this builder's settings
         */
        public EventPoolOptions build() {
            if (chooser == null) {
                chooser = PollerChooser.roundRobin();
            }
            return new EventPoolOptions(this);
        }
    }
}
