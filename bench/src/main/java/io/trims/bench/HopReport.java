package io.trims.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The hop benchmark's figures as a Markdown table, one row per request shape, naming the machine. */
final class HopReport {

    /**
     * One request shape: the bytes each way, the latencies seen through the front door and directly, and the
     * median of the per-pair differences (front minus direct of the same iteration: steadier when load drifts).
     */
    record Row(String shape, int requestBytes, int responseBytes, Latencies front, Latencies direct, double pairedHop) {

        double hop() {
            return front.median() - direct.median();
        }
    }

    private final List<Row> rows = new ArrayList<>();

    void add(Row row) {
        rows.add(row);
    }

    String markdown(String label, String setup, double runSeconds) {
        StringBuilder md = new StringBuilder();
        md.append("## trims front-door hop: warm MiniLM through placement vs straight to the agent\n\n");
        md.append("- code: ").append(label).append('\n');
        md.append("- machine: ").append(Report.cpuName()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ").append(System.getProperty("os.arch")).append(", ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append("; Java ").append(System.getProperty("java.version")).append('\n');
        md.append("- ").append(setup).append('\n');
        md.append(String.format(Locale.ROOT, "- whole run %.0f s; latencies in ms, client-side, request sent to last "
                + "response byte; hop = median(front door) - median(direct); paired hop = median over iterations of "
                + "(front door - direct)%n%n", runSeconds));
        md.append("| shape | request | response | n | front median | front p90 | front mean "
                + "| direct median | direct p90 | direct mean | hop | paired hop |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                    r.shape(), size(r.requestBytes()), size(r.responseBytes()), r.front().count(),
                    r.front().median(), r.front().p90(), r.front().mean(),
                    r.direct().median(), r.direct().p90(), r.direct().mean(), r.hop(), r.pairedHop()));
        }
        return md.toString();
    }

    /** The first three fields of /proc/loadavg (other work on the machine skews both columns), or "unknown". */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", Arrays.copyOf(fields, 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String size(int bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
