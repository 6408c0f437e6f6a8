package io.trims.bench.sim.workload;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Workloads by name, as the simulator's options give them: {@code zipf} (or {@code zipf:1.2} for another skew),
 * {@code bursty}, {@code diurnal}, {@code azure} (the shipped sample) or {@code azure:<file or directory>}.
 */
public final class Workloads {

    private Workloads() {
    }

    /**
     * @param skew  the Zipf skew of every synthetic workload that names none
     * @param azure where the Azure trace files are, or null for the shipped sample
     */
    public static Workload byName(String spec, double skew, Path azure) {
        String name = spec.trim().toLowerCase(Locale.ROOT);
        String argument = name.contains(":") ? spec.trim().substring(name.indexOf(':') + 1) : "";
        return switch (name.contains(":") ? name.substring(0, name.indexOf(':')) : name) {
            case "zipf" -> new ZipfWorkload(argument.isEmpty() ? skew : Double.parseDouble(argument));
            case "bursty" -> new OnOffWorkload(skew, 0.1, 20);
            case "diurnal" -> new DiurnalWorkload(skew, 2, 0.8);
            case "azure" -> !argument.isEmpty() ? AzureTrace.of(Path.of(argument))
                    : azure != null ? AzureTrace.of(azure) : AzureTrace.sample();
            default -> throw new IllegalArgumentException("unknown workload '" + spec
                    + "' (known: zipf[:skew], bursty, diurnal, azure[:path])");
        };
    }
}
