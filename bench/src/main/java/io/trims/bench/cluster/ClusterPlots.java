package io.trims.bench.cluster;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's PNG plots, drawn with XChart: the latency CDF of every system, the copies of the hottest model in
 * memory over time, and the simulator's hit ratio per policy against Belady's MIN when its CSV is there. Each
 * method returns the Markdown line for the report: the image, or why there is none.
 */
public final class ClusterPlots {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 540;

    private final Path dir;

    public ClusterPlots(Path dir) {
        this.dir = dir;
    }

    public String latencyCdf(List<SystemResult> results) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Latency CDF (successful requests)")
                .xAxisTitle("latency, ms (log scale)").yAxisTitle("fraction of requests").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        int drawn = 0;
        for (SystemResult r : results) {
            double[] x = Figures.latencies(r, o -> true);
            if (x.length == 0) {
                continue;
            }
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = (i + 1) / (double) x.length;
            }
            XYSeries s = chart.addSeries(r.spec().label(), x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            drawn++;
        }
        return drawn == 0 ? "No latency CDF: no system answered a request." : save(chart, "latency-cdf", "latency CDF");
    }

    public String hottestCopies(List<SystemResult> results, String model, int agents) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Copies of the hottest model (" + model + ") in memory across the agents")
                .xAxisTitle("seconds into the measured window").yAxisTitle("agents holding it in GPU or CPU").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(agents + 0.5);
        chart.getStyler().setYAxisDecimalPattern("0");
        int drawn = 0;
        for (SystemResult r : results) {
            if (r.copies().isEmpty()) {
                continue;
            }
            double[] x = r.copies().stream().mapToDouble(CopiesProbe.Sample::seconds).toArray();
            double[] y = r.copies().stream().mapToDouble(CopiesProbe.Sample::copies).toArray();
            XYSeries s = chart.addSeries(r.spec().label(), x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            drawn++;
        }
        return drawn == 0 ? "No copies plot: no cluster system was sampled."
                : save(chart, "hottest-copies", "copies of the hottest model over time")
                + " (the per-invocation baseline keeps no copy, so it is not drawn)";
    }

    /** Hit ratio (1 − miss ratio) of every simulated policy beside Belady's MIN and an infinite cache. */
    public String simulator(Path csv) throws IOException {
        if (!Files.isRegularFile(csv)) {
            return "No simulator plot: `" + csv.getFileName() + "` is not in this directory (the simulator writes it).";
        }
        List<SimulatorCsv.Row> rows = SimulatorCsv.read(csv).stream().filter(r -> !Double.isNaN(r.misses())).toList();
        if (rows.isEmpty()) {
            return "No simulator plot: `" + csv.getFileName() + "` has no rows with a miss ratio.";
        }
        boolean severalWorkloads = rows.stream().map(SimulatorCsv.Row::workload).distinct().count() > 1;
        List<String> names = new ArrayList<>();
        List<Double> policy = new ArrayList<>();
        List<Double> min = new ArrayList<>();
        List<Double> infinite = new ArrayList<>();
        for (SimulatorCsv.Row r : rows) {
            names.add((severalWorkloads ? r.workload() + ": " : "") + r.policy());
            policy.add(1 - r.misses());
            min.add(Double.isNaN(r.minMisses()) ? 0 : 1 - r.minMisses());
            infinite.add(Double.isNaN(r.infiniteMisses()) ? 0 : 1 - r.infiniteMisses());
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Simulated hit ratio per policy vs Belady's MIN").xAxisTitle("placement + eviction")
                .yAxisTitle("hit ratio (1 - miss ratio)").build();
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.addSeries("policy", names, policy);
        chart.addSeries("Belady MIN", names, min);
        if (infinite.stream().anyMatch(v -> v > 0)) {
            chart.addSeries("infinite cache", names, infinite);
        }
        return save(chart, "simulator-hit-ratio", "simulated hit ratio per policy vs Belady's MIN");
    }

    private String save(Chart<?, ?> chart, String name, String alt) throws IOException {
        BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        return "![" + alt + "](" + name + ".png)";
    }
}
