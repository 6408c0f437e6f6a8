package io.trims.bench.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything a run is configured by. {@link #full()} is sized for a 2-core, 23 GiB machine (about 20 minutes);
 * {@link #smoke} checks the whole pipeline on MB-sized models in a couple of minutes.
 *
 * @param constrained tier budgets of every agent of the compared systems: a host cannot hold every model
 * @param roomy       tier budgets of the ideal: every model fits on one host, so each is preloaded once
 * @param functionThreads concurrent invocations per function host of the baseline (an agent runs as many)
 * @param jvmFlags    more flags for every JVM the benchmark starts
 */
public record BenchSettings(boolean smoke, List<ModelSet.Entry> models, double rate, double seconds, double zipf,
                            long seed, int agents, Budgets constrained, Budgets roomy, Duration requestTimeout,
                            Duration drain, List<SystemSpec> systems, Heaps heaps, int functionThreads,
                            List<String> jvmFlags, Path out) {

    /** Tier budgets of one agent, in bytes. */
    public record Budgets(long cpuBytes, long diskBytes) {}

    /** -Xmx of each kind of process; the registry reads a whole model onto its heap to check it. */
    public record Heaps(String agent, String placement, String registration, String function) {}

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    /** A member joins after 1 s instead of Hazelcast's 5: cluster start-up is not measured, only waited for. */
    private static final String QUICK_JOIN = "-Dhazelcast.wait.seconds.before.join=1";

    public BenchSettings {
        models = List.copyOf(models);
        systems = List.copyOf(systems);
        jvmFlags = List.copyOf(jvmFlags);
    }

    /**
     * 0.5 requests/s for 100 s per system: the baseline spends about 2 s of CPU per request (ONNX Runtime takes
     * ~11 s to load the 2 GB model), so this keeps it near half of the two cores rather than in an ever-growing
     * queue. CPU 2.25 GiB per agent holds the 2 GB model but not with the 1 GB one; disk 3 GiB not every file.
     */
    public static BenchSettings full(Path out) {
        return new BenchSettings(false, ModelSet.full(), 0.5, 100, 0.8, 20240601L, 3,
                new Budgets(2304 * MIB, 3 * GIB), new Budgets(4 * GIB, 8 * GIB),
                Duration.ofSeconds(150), Duration.ofSeconds(90), SystemSpec.parse(SystemSpec.DEFAULTS),
                new Heaps("1g", "1g", "6g", "1g"), 2, List.of(QUICK_JOIN), out);
    }

    /**
     * MLPs of a few MB, 4 s of 4 requests/s per system; CPU 8 MiB per agent, so evictions happen here too. Two
     * agents, and JVMs that compile with C1 only and collect serially: on two cores, starting the processes of five
     * systems is most of the run.
     */
    public static BenchSettings smoke(Path out, boolean withReal) {
        return new BenchSettings(true, ModelSet.smoke(withReal), 4, 4, 0.8, 7L, 2,
                new Budgets((withReal ? 100 : 8) * MIB, (withReal ? 200 : 12) * MIB), new Budgets(512 * MIB, GIB),
                Duration.ofSeconds(60), Duration.ofSeconds(30), SystemSpec.parse(SystemSpec.DEFAULTS),
                new Heaps("384m", "384m", "512m", "384m"), 2,
                List.of(QUICK_JOIN, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), out);
    }

    /** Overrides from options: --rate, --seconds, --zipf, --seed, --systems. */
    public BenchSettings with(Map<String, String> options) {
        return new BenchSettings(smoke, models,
                Double.parseDouble(options.getOrDefault("--rate", Double.toString(rate))),
                Double.parseDouble(options.getOrDefault("--seconds", Double.toString(seconds))),
                Double.parseDouble(options.getOrDefault("--zipf", Double.toString(zipf))),
                Long.parseLong(options.getOrDefault("--seed", Long.toString(seed))),
                agents, constrained, roomy, requestTimeout, drain,
                options.containsKey("--systems") ? SystemSpec.parse(options.get("--systems")) : systems,
                heaps, functionThreads, jvmFlags, out);
    }

    public Budgets budgetsOf(SystemSpec system) {
        return system.ideal() ? roomy : constrained;
    }
}
