package io.trims.bench.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulator's results ({@code simulator.csv} beside the report, as {@code io.trims.bench.sim} writes it): one row
 * per workload and policy pair with where requests found their model, then per workload the bound rows (placement
 * {@code bound}, eviction {@code belady-min} or {@code infinite}). Read here as one row per pair with its memory
 * miss ratio (neither GPU nor CPU) beside the two bounds' for the same workload.
 */
public final class SimulatorCsv {

    static final String WORKLOAD = "workload";
    static final String PLACEMENT = "placement";
    static final String EVICTION = "eviction";
    static final String CPU_HITS = "cpu_hit_ratio";
    static final String DISK_HITS = "disk_hit_ratio";
    static final String MEMORY_HITS = "memory_hit_ratio";
    static final String BOUND = "bound";
    static final String MIN = "belady-min";
    static final String INFINITE = "infinite";

    /** One policy pair; a ratio the file leaves empty is NaN. */
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
        String[] names = {WORKLOAD, PLACEMENT, EVICTION, CPU_HITS, DISK_HITS, MEMORY_HITS};
        int[] at = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            at[i] = header.indexOf(names[i]);
            if (at[i] < 0) {
                throw new IOException(file + " has no column '" + names[i] + "' (it has " + header + ")");
            }
        }
        List<String[]> cells = lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList();
        Map<String, Double> minMisses = new HashMap<>();
        Map<String, Double> infiniteMisses = new HashMap<>();
        for (String[] row : cells) {
            if (text(row, at[1]).equals(BOUND)) {
                Map<String, Double> bound = text(row, at[2]).equals(MIN) ? minMisses
                        : text(row, at[2]).equals(INFINITE) ? infiniteMisses : new HashMap<>();
                bound.put(text(row, at[0]), 1 - number(row, at[5]));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (String[] row : cells) {
            String workload = text(row, at[0]);
            if (!text(row, at[1]).equals(BOUND)) {
                rows.add(new Row(workload, text(row, at[1]), text(row, at[2]), number(row, at[3]),
                        number(row, at[4]), 1 - number(row, at[5]), minMisses.getOrDefault(workload, Double.NaN),
                        infiniteMisses.getOrDefault(workload, Double.NaN)));
            }
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
