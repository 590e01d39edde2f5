package io.ripcord.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Another process's CPU time (user + system, all its threads) from {@code /proc/<pid>/stat}, in nanoseconds.
 * The kernel counts it in clock ticks ({@code getconf CLK_TCK}, 100 on Linux), so a reading is good to 10 ms:
 * measure over seconds.
 */
final class CpuTime {

    private static final long TICK_NANOS = 1_000_000_000L / clockTicksPerSecond();

    private CpuTime() {
    }

    /** The CPU time {@code pid} has used so far, or -1 if it cannot be read (no /proc, process gone). */
    static long ofProcess(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            // Fields after the command name, which is in parentheses and may contain spaces: state is field 3,
            // utime field 14, stime field 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            try (InputStream in = p.getInputStream()) {
                long hz = Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
                return hz > 0 ? hz : 100;
            }
        } catch (IOException | RuntimeException e) {
            return 100; // USER_HZ on every Linux architecture the JDK runs on
        }
    }
}
