package io.ripcord.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every sample of an {@code all} run, and what it writes: {@code raw.csv} (one line per sample),
 * {@code results.md} (medians over the rounds) and {@code machine.txt}. Used from the orchestrating thread only.
 */
final class Results {

    /** One measurement: {@code value} in {@code unit}; latencies in microseconds, NaN when not measured. */
    record Sample(String section, String scenario, int threads, String server, int round, String metric,
                  String unit, double value, double p50Micros, double p99Micros, long errors) {
    }

    /** The samples of one (section, scenario, threads, server, metric), summarised. */
    record Row(String section, String scenario, int threads, String server, String metric, String unit,
               double median, double min, double max, int n, double p50Micros, double p99Micros, long errors) {
    }

    static final String SHARED_CORES_NOTE = "The %d cores of this machine are shared by the load generator and "
            + "the server: figures are relative, read the min..max spread before quoting a median.";

    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, List<String>> notes = new LinkedHashMap<>();

    void add(Sample s) {
        samples.add(s);
    }

    void note(String section, String text) {
        notes.computeIfAbsent(section, k -> new ArrayList<>()).add(text);
    }

    List<Sample> samples() {
        return samples;
    }

    /** Rows in the order their first sample arrived. */
    List<Row> rows() {
        Map<String, List<Sample>> groups = new LinkedHashMap<>();
        for (Sample s : samples) {
            groups.computeIfAbsent(String.join("\u0000", s.section(), s.scenario(), Integer.toString(s.threads()),
                    s.server(), s.metric()), k -> new ArrayList<>()).add(s);
        }
        List<Row> rows = new ArrayList<>();
        for (List<Sample> g : groups.values()) {
            Sample f = g.get(0);
            double[] v = g.stream().mapToDouble(Sample::value).toArray();
            rows.add(new Row(f.section(), f.scenario(), f.threads(), f.server(), f.metric(), f.unit(), median(v),
                    min(v), max(v), v.length, median(g.stream().mapToDouble(Sample::p50Micros).toArray()),
                    median(g.stream().mapToDouble(Sample::p99Micros).toArray()),
                    g.stream().mapToLong(Sample::errors).sum()));
        }
        return rows;
    }

    /** The median row for a key, or null. */
    Row row(String section, String scenario, int threads, String server, String metric) {
        for (Row r : rows()) {
            if (r.section().equals(section) && r.scenario().equals(scenario) && r.threads() == threads
                    && r.server().equals(server) && r.metric().equals(metric)) {
                return r;
            }
        }
        return null;
    }

    void writeCsv(Path file) throws IOException {
        StringBuilder b = new StringBuilder(
                "section,scenario,threads,server,round,metric,unit,value,p50_us,p99_us,errors\n");
        for (Sample s : samples) {
            b.append(String.format(Locale.ROOT, "%s,\"%s\",%d,%s,%d,%s,%s,%.3f,%s,%s,%d%n", s.section(),
                    s.scenario(), s.threads(), s.server(), s.round(), s.metric(), s.unit(), s.value(),
                    num(s.p50Micros()), num(s.p99Micros()), s.errors()));
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    /** The Markdown report: a header, then one table per section with its notes. */
    String markdown(String header, Map<String, String> sectionTitles, Map<String, List<String>> baselines) {
        StringWriter sw = new StringWriter();
        PrintWriter out = new PrintWriter(sw);
        out.print(header);
        Map<String, List<Row>> bySection = new LinkedHashMap<>();
        for (Row r : rows()) {
            bySection.computeIfAbsent(r.section(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, String> e : sectionTitles.entrySet()) {
            List<Row> rows = bySection.getOrDefault(e.getKey(), List.of());
            out.println();
            out.println("## " + e.getValue());
            out.println();
            out.printf(Locale.ROOT, SHARED_CORES_NOTE + "%n", Runtime.getRuntime().availableProcessors());
            for (String n : notes.getOrDefault(e.getKey(), List.of())) {
                out.println();
                out.println("- " + n);
            }
            if (rows.isEmpty()) {
                out.println();
                out.println("(no samples)");
                continue;
            }
            List<String> bases = baselines.getOrDefault(e.getKey(), List.of());
            out.println();
            StringBuilder head = new StringBuilder(
                    "| scenario | threads | server | metric | median | min..max | rounds | p50 us | p99 us | ");
            StringBuilder rule = new StringBuilder("|---|---:|---|---|---:|---:|---:|---:|---:|");
            for (String base : bases) {
                head.append("vs ").append(base).append(" | ");
                rule.append("---:|");
            }
            out.println(head.append("errors |"));
            out.println(rule.append("---:|"));
            // Group the servers of one scenario together.
            Map<String, List<Row>> byScenario = new TreeMap<>();
            List<String> order = new ArrayList<>();
            for (Row r : rows) {
                String k = r.scenario() + "\u0000" + r.threads() + "\u0000" + r.metric();
                if (!byScenario.containsKey(k)) {
                    order.add(k);
                }
                byScenario.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
            }
            for (String k : order) {
                List<Row> group = byScenario.get(k);
                for (Row r : group) {
                    StringBuilder ratios = new StringBuilder();
                    for (String base : bases) {
                        Row b = group.stream().filter(x -> x.server().equals(base)).findFirst().orElse(null);
                        ratios.append(b == null || b.median() == 0 ? "| "
                                : String.format(Locale.ROOT, "%.2f | ", r.median() / b.median()));
                    }
                    out.printf(Locale.ROOT, "| %s | %s | %s | %s (%s) | %s | %s..%s | %d | %s | %s | %s%d |%n",
                            r.scenario(), r.threads() == 0 ? "" : Integer.toString(r.threads()), r.server(),
                            r.metric(), r.unit(), fmt(r.median()), fmt(r.min()), fmt(r.max()), r.n(),
                            fmt(r.p50Micros()), fmt(r.p99Micros()), ratios, r.errors());
                }
            }
        }
        out.flush();
        return sw.toString();
    }

    static String machine() {
        StringBuilder b = new StringBuilder();
        b.append("cores (available processors): ").append(Runtime.getRuntime().availableProcessors()).append('\n');
        b.append("note: the cores are shared by the load generator and the server\n");
        b.append("cpu: ").append(cpuModel()).append('\n');
        b.append("memory: ").append(firstLine(Path.of("/proc/meminfo"), "MemTotal")).append('\n');
        b.append("jdk: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (")
                .append(System.getProperty("java.vendor")).append(")\n");
        b.append("os: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(' ').append(System.getProperty("os.arch")).append('\n');
        try {
            b.append("kernel: ").append(Files.readString(Path.of("/proc/version")).trim()).append('\n');
        } catch (IOException e) {
            b.append("kernel: unknown (").append(e.getMessage()).append(")\n");
        }
        b.append("open files limit: see `ulimit -n` of the shell that ran this\n");
        return b.toString();
    }

    private static String cpuModel() {
        String line = firstLine(Path.of("/proc/cpuinfo"), "model name");
        int colon = line.indexOf(':');
        return colon < 0 ? line : line.substring(colon + 1).trim();
    }

    private static String firstLine(Path file, String prefix) {
        try {
            for (String l : Files.readAllLines(file)) {
                if (l.startsWith(prefix)) {
                    return l.replaceAll("\\s+", " ").trim();
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.1f", v);
    }

    static double median(double[] values) {
        double[] v = java.util.Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
        int n = v.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(Double.NaN);
    }
}
