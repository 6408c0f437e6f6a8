package io.trims.bench.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The machine a run was on, from /proc: CPU model, cores, memory, load average; and the OS and Java. */
public record MachineInfo(String cpu, int cores, double memoryGib, String os, String java) {

    public static MachineInfo here() {
        return new MachineInfo(field("/proc/cpuinfo", "model name").orElse("unknown CPU"),
                Runtime.getRuntime().availableProcessors(),
                field("/proc/meminfo", "MemTotal").map(v -> Double.parseDouble(v.replaceAll("[^0-9]", "")) / (1 << 20))
                        .orElse(Double.NaN),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    }

    /** The first three fields of /proc/loadavg, or "unknown". */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", Arrays.copyOf(fields, 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    public String describe() {
        return String.format(Locale.ROOT, "%s, %d cores, %.1f GiB memory; %s; %s", cpu, cores, memoryGib, os, java);
    }

    private static Optional<String> field(String file, String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            return lines.stream().filter(l -> l.startsWith(key)).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
