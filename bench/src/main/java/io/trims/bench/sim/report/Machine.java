package io.trims.bench.sim.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine a report's figures came from, read from /proc where it exists.
 *
 * @param loadAverage the first three fields of /proc/loadavg when the run started: other work skews the times
 */
public record Machine(String cpu, int cores, double memoryGiB, String java, String loadAverage) {

    public static Machine here() {
        return new Machine(readCpu(), Runtime.getRuntime().availableProcessors(), readMemoryGiB(),
                System.getProperty("java.version"), readLoadAverage());
    }

    public String describe() {
        return String.format(Locale.ROOT, "%s, %d cores, %.1f GiB memory, Java %s, load average %s at start",
                cpu, cores, memoryGiB, java, loadAverage);
    }

    private static String readCpu() {
        return lines("/proc/cpuinfo").stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    }

    private static double readMemoryGiB() {
        return lines("/proc/meminfo").stream().filter(l -> l.startsWith("MemTotal:"))
                .mapToDouble(l -> Double.parseDouble(l.replaceAll("[^0-9]", "")) / (1 << 20)).findFirst()
                .orElse(Runtime.getRuntime().maxMemory() / (double) (1L << 30));
    }

    private static String readLoadAverage() {
        List<String> lines = lines("/proc/loadavg");
        if (lines.isEmpty()) {
            return "unknown";
        }
        String[] fields = lines.get(0).trim().split("\\s+");
        return fields.length < 3 ? "unknown" : String.join(" ", fields[0], fields[1], fields[2]);
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
