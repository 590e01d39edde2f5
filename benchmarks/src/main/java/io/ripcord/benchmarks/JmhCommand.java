package io.ripcord.benchmarks;

import io.ripcord.benchmarks.jmh.NfsReaddirBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jmh}: the micro-benchmarks in {@code io.ripcord.benchmarks.jmh} through JMH's Runner API. */
@Command(name = "jmh", mixinStandardHelpOptions = true,
        description = "Runs the JMH micro-benchmarks (XDR kv_pair by hand and generated, an NFS directory listing, "
                + "record marking, cross-thread execute) with the gc profiler (bytes allocated per operation).")
public final class JmhCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "1 fork, 1 x 1 s warmup, 2 x 1 s measurement.")
    private boolean quick;

    @Option(names = "--smoke", description = "1 fork, 1 x 0.2 s warmup, 1 x 0.2 s measurement (CI).")
    private boolean smoke;

    @Option(names = "--include", description = "Benchmark regexp (default: ${DEFAULT-VALUE}).")
    private String include = "io\\.ripcord\\.benchmarks\\.jmh\\..*";

    @Option(names = "--json", description = "Also write JMH's JSON result here.")
    private Path json;

    @Override
    public Integer call() throws Exception {
        ChainedOptionsBuilder b = new OptionsBuilder().include(include).addProfiler("gc").shouldFailOnError(true);
        String nfsMissing = NfsReaddirBenchmark.missing();
        if (nfsMissing != null) {
            System.err.println(nfsMissing);
            b.exclude(NfsReaddirBenchmark.class.getName());
        }
        if (smoke) {
            b.forks(1).warmupIterations(1).warmupTime(TimeValue.milliseconds(200)).measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(200));
        } else if (quick) {
            b.forks(1).warmupIterations(1).warmupTime(TimeValue.seconds(1)).measurementIterations(2)
                    .measurementTime(TimeValue.seconds(1));
        } else {
            b.forks(2).warmupIterations(3).warmupTime(TimeValue.seconds(2)).measurementIterations(5)
                    .measurementTime(TimeValue.seconds(2));
        }
        if (json != null) {
            Files.createDirectories(json.toAbsolutePath().getParent());
            b.result(json.toString()).resultFormat(ResultFormatType.JSON);
        }
        new Runner(b.build()).run();
        return 0;
    }
}
