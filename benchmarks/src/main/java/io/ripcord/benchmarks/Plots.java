package io.ripcord.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** PNG bar charts of an {@code all} run's medians (XChart, headless). */
final class Plots {

    private Plots() {
    }

    /**
     * One bar chart: x = scenario, one series per server (and thread count when {@code byThreads}), height =
     * {@code value} of the rows of {@code section} and {@code metric}.
     */
    static boolean bars(Results results, String section, String metric, boolean byThreads, String title,
                        String yTitle, ToDoubleFunction<Results.Row> value, boolean logY, Path file)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        Set<String> scenarios = new LinkedHashSet<>();
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        for (Results.Row r : results.rows()) {
            if (!r.section().equals(section) || !r.metric().equals(metric)) {
                continue;
            }
            double v = value.applyAsDouble(r);
            if (Double.isNaN(v) || (logY && v <= 0)) {
                continue;
            }
            scenarios.add(r.scenario());
            String name = byThreads && r.threads() > 0 ? r.server() + " (" + r.threads() + " thr)" : r.server();
            series.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(r.scenario(), v);
        }
        if (series.isEmpty()) {
            return false;
        }
        CategoryChart chart = new CategoryChartBuilder().width(1200).height(650).title(title)
                .xAxisTitle("scenario").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisLabelRotation(15);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setOverlapped(false);
        // XChart's log axis starts bars at the axis minimum, which must be set and positive.
        double floor = series.values().stream().flatMap(m -> m.values().stream()).mapToDouble(Double::doubleValue)
                .min().orElse(1);
        floor = Math.pow(10, Math.floor(Math.log10(floor)));
        if (logY) {
            chart.getStyler().setYAxisMin(floor);
        }
        List<String> xs = new ArrayList<>(scenarios);
        for (Map.Entry<String, Map<String, Double>> e : series.entrySet()) {
            List<Double> ys = new ArrayList<>();
            for (String x : xs) {
                // A missing bar must stay positive on a log axis.
                ys.add(e.getValue().getOrDefault(x, logY ? floor : 0.0));
            }
            chart.addSeries(e.getKey(), xs, ys);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }
}
