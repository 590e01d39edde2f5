package io.ripcord.benchmarks;

import java.io.PrintStream;
import java.util.Locale;

/** The one progress line of an {@code all} run, on stderr: step k of n, elapsed, a rough time left. */
final class Progress {

    private final PrintStream out;
    private final long start = System.nanoTime();
    private int total;
    private int done;

    Progress(PrintStream out, int total) {
        this.out = out;
        this.total = total;
    }

    /** Announces the step about to run. */
    void step(String what) {
        done++;
        double elapsed = (System.nanoTime() - start) / 1e9;
        double left = done <= 1 ? Double.NaN : elapsed / (done - 1) * (total - done + 1);
        out.printf(Locale.ROOT, "[%3d/%d %3.0f%%] %s elapsed%s  %s%n", done, Math.max(done, total),
                100.0 * (done - 1) / Math.max(1, total), clock(elapsed),
                Double.isNaN(left) ? "" : ", ~" + clock(left) + " left", what);
        out.flush();
    }

    /** Steps that will not run (a skipped section). */
    void skip(int steps) {
        total -= steps;
    }

    void info(String line) {
        out.println("        " + line);
        out.flush();
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
