package io.trims.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The benchmark's figures, one row per model and batch size, as a Markdown table. */
final class Report {

    private final boolean cpuOnly;
    private final Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
    private final Set<String> columns = new LinkedHashSet<>();
    private String device = "none (CPU only)";
    private GemmFigure gemm;

    Report(boolean cpuOnly) {
        this.cpuOnly = cpuOnly;
    }

    void put(String model, int batch, String column, double value) {
        columns.add(column);
        rows.computeIfAbsent(model + "|" + batch, k -> new LinkedHashMap<>()).put(column, value);
    }

    void device(String name) {
        device = name;
    }

    void gemm(GemmFigure figure) {
        gemm = figure;
    }

    String markdown(int cpuReps, int gpuReps, int hostReps) {
        StringBuilder md = new StringBuilder();
        md.append("## trims GPU benchmark").append(cpuOnly ? " (CPU only)" : "").append("\n\n");
        md.append("- device: ").append(device).append('\n');
        md.append("- host CPU: ").append(cpuName()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores; Java ").append(System.getProperty("java.version")).append('\n');
        md.append("- seq 128; real graphs, weights regrown from seed; warm = median of ")
                .append(cpuOnly ? "" : gpuReps + " GPU / ").append(cpuReps).append(" ONNX Runtime CPU / ").append(hostReps)
                .append(" host-kernel runs after one warm-up; ONNX Runtime with ")
                .append(Runtime.getRuntime().availableProcessors()).append(" intra-op threads\n");
        md.append("- taken ").append(Instant.now()).append("\n\n");
        List<String> header = new ArrayList<>(List.of("model", "batch"));
        header.addAll(columns);
        md.append("| ").append(String.join(" | ", header)).append(" |\n");
        md.append("|").append("---|".repeat(header.size())).append('\n');
        rows.forEach((key, values) -> {
            String[] parts = key.split("\\|");
            md.append("| ").append(parts[0]).append(" | ").append(parts[1]);
            for (String column : columns) {
                Double v = values.get(column);
                md.append(" | ").append(v == null ? "" : String.format(Locale.ROOT, "%.2f", v));
            }
            md.append(" |\n");
        });
        if (gemm != null) {
            md.append(String.format(Locale.ROOT, "%nSGEMM %d x %d x %d (trims' tiled kernel): %.2f TFLOP/s = %.1f%% of "
                            + "%.1f TFLOP/s peak FP32 (%s)%n", gemm.size(), gemm.size(), gemm.size(),
                    gemm.flopsPerSecond() / 1e12, 100 * gemm.fractionOfPeak(), gemm.peakFlopsPerSecond() / 1e12,
                    gemm.peakSource()));
        }
        return md.toString();
    }

    /** The CPU model from /proc/cpuinfo, or "unknown" where it cannot be read. */
    static String cpuName() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
