package io.ripcord.benchmarks.jmh;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cross-thread task submission: {@code EventPool.execute} from the benchmark thread, the poller (asleep in
 * {@code select}) wakes, runs the task, which unparks the submitter: one round trip per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CrossThreadBenchmark {

    private EventPool pool;

    @Setup(Level.Trial)
    public void setUp() {
        pool = EventPool.create(EventPoolOptions.builder().pollers(1).build()).start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    /** Submit, then park until the poller's task unparks us. */
    @Benchmark
    public void executeRoundTrip() throws InterruptedException {
        Thread me = Thread.currentThread();
        boolean[] done = new boolean[1];
        Object lock = this;
        pool.execute(() -> {
            synchronized (lock) {
                done[0] = true;
            }
            LockSupport.unpark(me);
        });
        for (;;) {
            synchronized (lock) {
                if (done[0]) {
                    return;
                }
            }
            LockSupport.park(this);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
