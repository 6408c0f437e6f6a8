package io.trims.bench.sim;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The simulator's settings: {@code --name value} on the command line, else the environment variable
 * {@code TRIMS_SIM_NAME} (upper case, dashes as underscores), else the default.
 *
 * @param capacity      fraction of the catalogue's bytes the cluster's CPU tiers hold together (each host's CPU
 *                      tier is never smaller than the largest model, which could not run otherwise)
 * @param diskFactor    each host's disk tier, as a multiple of its CPU tier
 * @param gpu           fraction of the catalogue's bytes the cluster's GPU tiers hold together; 0: no GPU tier
 * @param rate          requests per second per host, on average over the trace (bursts and days go above and below)
 * @param azure         Azure trace file or directory for the {@code azure} workload; null: the shipped sample
 * @param speedCheck    also time one run alone at 1,000,000 invocations, 1,000 models and 50 hosts
 */
public record SimOptions(List<String> workloads, int invocations, int models, int hosts, double capacity,
                         double diskFactor, double gpu, long seed, List<String> placements, List<String> evictions,
                         double zipf, double rate, int workers, int loadThreads, double fetchMbPerSecond,
                         double diskMbPerSecond, double gpuMbPerSecond, Path azure, Path out, boolean speedCheck,
                         String label) {

    private static final Set<String> NAMES = Set.of("workloads", "invocations", "models", "hosts", "capacity",
            "disk-factor", "gpu", "seed", "placement", "eviction", "zipf", "rate", "workers", "load-threads",
            "fetch-mbps", "disk-mbps", "gpu-mbps", "azure", "out", "speed-check", "label");

    /** Placement policies tried by default; names not (yet) registered are skipped and listed in the report. */
    static final String PLACEMENTS = "completion-time,fastest-tier,holder-lru,least-loaded,random";
    static final String EVICTIONS = "lru,lfu,gdsf,belady-am,cluster-aware";

    public static SimOptions parse(String[] args, Map<String, String> env, int agentLoadThreads) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!NAMES.contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i] + " (options: "
                        + String.join(", ", NAMES.stream().sorted().map(n -> "--" + n).toList()) + ")");
            }
            given.put(name, args[++i]);
        }
        Settings s = new Settings(given, env);
        return new SimOptions(s.list("workloads", "zipf,bursty,diurnal,azure"), s.integer("invocations", 250_000),
                s.integer("models", 1000), s.integer("hosts", 20), s.real("capacity", 0.10), s.real("disk-factor", 2),
                s.real("gpu", 0), Long.parseLong(s.get("seed", "1")), s.list("placement", PLACEMENTS),
                s.list("eviction", EVICTIONS), s.real("zipf", 0.9), s.real("rate", 1), s.integer("workers", 4),
                s.integer("load-threads", agentLoadThreads), s.real("fetch-mbps", 200), s.real("disk-mbps", 400),
                s.real("gpu-mbps", 2000), s.path("azure"),
                Path.of(s.get("out", "bench/results/" + LocalDate.now())), Boolean.parseBoolean(s.get("speed-check",
                "true")), s.get("label", ""));
    }

    private record Settings(Map<String, String> given, Map<String, String> env) {
        String get(String name, String fallback) {
            String v = given.get(name);
            if (v == null) {
                v = env.get("TRIMS_SIM_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
            }
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        int integer(String name, int fallback) {
            return Integer.parseInt(get(name, Integer.toString(fallback)));
        }

        double real(String name, double fallback) {
            return Double.parseDouble(get(name, Double.toString(fallback)));
        }

        List<String> list(String name, String fallback) {
            return Arrays.stream(get(name, fallback).split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        }

        Path path(String name) {
            String v = get(name, "");
            return v.isEmpty() ? null : Path.of(v);
        }
    }
}
