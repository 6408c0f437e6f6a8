package io.trims.bench.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The simulator's results ({@code simulator.csv} beside the report): one row per workload, placement and eviction
 * policy, with the hit ratios it measured and the bounds of Belady's MIN and of an infinite cache. The column
 * names are the constants below; a file naming them otherwise is adapted here alone.
 */
public final class SimulatorCsv {

    static final String WORKLOAD = "workload";
    static final String PLACEMENT = "placement";
    static final String EVICTION = "eviction";
    static final String CPU_HITS = "cpu_hit_ratio";
    static final String DISK_HITS = "disk_hit_ratio";
    static final String MISSES = "miss_ratio";
    static final String MIN_MISSES = "min_miss_ratio";
    static final String INFINITE_MISSES = "infinite_miss_ratio";

    /** One row; a ratio the file leaves empty is NaN. */
    public record Row(String workload, String placement, String eviction, double cpuHits, double diskHits,
                      double misses, double minMisses, double infiniteMisses) {

        public String policy() {
            return placement + " + " + eviction;
        }
    }

    private SimulatorCsv() {
    }

    /** Plain comma-separated values with a header line; no quoting (names and numbers only). */
    public static List<Row> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            return List.of();
        }
        List<String> header = Arrays.stream(lines.get(0).split(",")).map(String::trim).toList();
        int[] at = new int[8];
        String[] names = {WORKLOAD, PLACEMENT, EVICTION, CPU_HITS, DISK_HITS, MISSES, MIN_MISSES, INFINITE_MISSES};
        for (int i = 0; i < names.length; i++) {
            at[i] = header.indexOf(names[i]);
            if (at[i] < 0 && i != 4 && i != 7) {
                throw new IOException(file + " has no column '" + names[i] + "' (it has " + header + ")");
            }
        }
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            rows.add(new Row(text(cells, at[0]), text(cells, at[1]), text(cells, at[2]), number(cells, at[3]),
                    number(cells, at[4]), number(cells, at[5]), number(cells, at[6]), number(cells, at[7])));
        }
        return rows;
    }

    private static String text(String[] cells, int at) {
        return at >= 0 && at < cells.length ? cells[at].trim() : "";
    }

    private static double number(String[] cells, int at) {
        String cell = text(cells, at);
        try {
            return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
