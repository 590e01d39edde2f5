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

    /** The defaults: one poller per available processor, round robin, rebuild after 512 empty selects. */
    public static EventPoolOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of poller threads. */
    public int pollers() {
        return pollers;
    }

    /** Where new slots go. */
    public PollerChooser chooser() {
        return chooser;
    }

    /** Poller threads are named {@code <prefix>-<index>}. */
    public String threadNamePrefix() {
        return threadNamePrefix;
    }

    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    /** Premature empty selects in a row after which a poller replaces its selector. */
    public int selectorRebuildThreshold() {
        return selectorRebuildThreshold;
    }

    /** How long one handler, task or timer may hold a poller before the watchdog logs it; zero disables. */
    public Duration blockedPollerThreshold() {
        return blockedPollerThreshold;
    }

    /** The time timers run by: {@link Clock#system()} unless a test set its own. */
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

        public Builder pollers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("pollers must be at least 1, got " + n);
            }
            this.pollers = n;
            return this;
        }

        /** The placement policy; default {@link PollerChooser#roundRobin()}. */
        public Builder chooser(PollerChooser chooser) {
            this.chooser = Objects.requireNonNull(chooser, "chooser");
            return this;
        }

        public Builder threadNamePrefix(String prefix) {
            if (prefix == null || prefix.isEmpty()) {
                throw new IllegalArgumentException("threadNamePrefix must not be empty");
            }
            this.threadNamePrefix = prefix;
            return this;
        }

        /** Makes poller threads; the pool names them. */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "threadFactory");
            return this;
        }

        /**
         * Whether the pollers are daemon threads (default {@code false}: the pool keeps the JVM alive until it is
         * shut down, as a server's should). Replaces the thread factory with one that makes such threads.
         */
        public Builder daemon(boolean daemon) {
            this.threadFactory = r -> {
                Thread t = new Thread(r);
                t.setDaemon(daemon);
                return t;
            };
            return this;
        }

        public Builder selectorRebuildThreshold(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("selectorRebuildThreshold must be at least 1, got " + n);
            }
            this.selectorRebuildThreshold = n;
            return this;
        }

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
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public EventPoolOptions build() {
            if (chooser == null) {
                chooser = PollerChooser.roundRobin();
            }
            return new EventPoolOptions(this);
        }
    }
}
