package io.trims.bench.sim;

import io.trims.agent.AgentConfig;
import io.trims.bench.sim.report.CsvReport;
import io.trims.bench.sim.report.Machine;
import io.trims.bench.sim.report.MarkdownReport;
import io.trims.bench.sim.report.WorkloadRuns;
import io.trims.bench.sim.workload.ModelProfile;
import io.trims.bench.sim.workload.Workload;
import io.trims.bench.sim.workload.Workloads;
import io.trims.bench.sim.workload.ZipfWorkload;
import io.trims.policy.eviction.EvictionPolicies;
import io.trims.policy.placement.PlacementPolicies;
import io.trims.policy.promotion.PromotionPolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The simulator's command: every workload asked for, every registered policy pair over each, the bounds, and a
 * speed check, written as {@code simulator.md} and {@code simulator.csv} under the output directory. Options:
 * {@link SimOptions}.
 */
public final class Simulator {

    private Simulator() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        AgentConfig agent = AgentConfig.fromEnv(Map.of("TRIMS_HOST", "sim"));
        SimOptions options = SimOptions.parse(args, System.getenv(), agent.loadThreads());
        Path out = run(options, agent);
        System.out.println("wrote " + out.resolve("simulator.md") + " and " + out.resolve("simulator.csv"));
    }

    /** Runs everything the options ask for and writes the report; returns the directory written to. */
    public static Path run(SimOptions o, AgentConfig agent) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Machine machine = Machine.here();
        MarkdownReport.Policies policies = policies(o, agent.evictionPolicy());
        Experiment.HostShape shape = new Experiment.HostShape(o.workers(), o.loadThreads(), o.capacity(),
                o.diskFactor(), o.gpu(), o.fetchMbPerSecond() * 1e6, o.diskMbPerSecond() * 1e6,
                o.gpuMbPerSecond() * 1e6, new PromotionPolicy(agent.gpu().promoteAfter(), agent.gpu().promoteWindowMs()));
        ModelProfile profile = ModelProfile.DEFAULT;
        // Timed first and alone, while nothing else of this run competes for the cores.
        Optional<MarkdownReport.Speed> speed = o.speedCheck()
                ? Optional.of(speed(shape, profile, o, policies)) : Optional.empty();
        List<WorkloadRuns> runs = new ArrayList<>();
        for (String name : o.workloads()) {
            Workload workload = Workloads.byName(name, o.zipf(), o.azure());
            Experiment e = Experiment.prepare(workload, o.invocations(), o.models(), o.hosts(), shape, profile,
                    o.rate(), o.seed());
            System.out.printf(Locale.ROOT, "%s: %d requests, %d pairs%n", e.trace().name(), e.trace().size(),
                    policies.placements().size() * policies.evictions().size());
            runs.add(new WorkloadRuns(e, e.runAll(policies.placements(), policies.evictions(), o.seed(),
                    Runtime.getRuntime().availableProcessors())));
        }
        Files.createDirectories(o.out());
        Files.writeString(o.out().resolve("simulator.md"), MarkdownReport.markdown(o.label(), machine, settings(o),
                policies, runs, speed, (System.nanoTime() - start) / 1e9));
        Files.writeString(o.out().resolve("simulator.csv"), CsvReport.csv(runs));
        return o.out();
    }

    private static MarkdownReport.Speed speed(Experiment.HostShape shape, ModelProfile profile, SimOptions o,
                                              MarkdownReport.Policies policies) {
        int invocations = 1_000_000;
        int models = 1000;
        int hosts = 50;
        Experiment e = Experiment.prepare(new ZipfWorkload(o.zipf()), invocations, models, hosts, shape, profile,
                o.rate(), o.seed());
        SimResult r = e.run(policies.defaultPlacement(), policies.defaultEviction(), o.seed());
        System.out.printf(Locale.ROOT, "speed: %,d invocations, %d models, %d hosts in %.1f s (+ %.1f s trace and "
                + "bounds)%n", invocations, models, hosts, r.wallSeconds(), e.prepareSeconds());
        return new MarkdownReport.Speed(invocations, models, hosts, r, e.prepareSeconds());
    }

    /** The names asked for that are registered; the default placement is whichever the front door builds unset. */
    static MarkdownReport.Policies policies(SimOptions o, String defaultEviction) {
        List<String> skipped = new ArrayList<>();
        List<String> placements = o.placements().stream().filter(n -> known(() -> PlacementPolicies.byName(n), n,
                skipped)).toList();
        List<String> evictions = o.evictions().stream().filter(n -> known(() -> EvictionPolicies.requireKnown(n), n,
                skipped)).toList();
        if (placements.isEmpty() || evictions.isEmpty()) {
            throw new IllegalArgumentException("no registered placement or eviction policy among " + o.placements()
                    + " and " + o.evictions());
        }
        Class<?> unset = PlacementPolicies.fromEnv(Map.of()).getClass();
        String defaultPlacement = placements.stream().filter(n -> PlacementPolicies.byName(n).getClass() == unset)
                .findFirst().orElse(placements.get(0));
        return new MarkdownReport.Policies(placements, evictions, skipped, defaultPlacement,
                evictions.contains(defaultEviction) ? defaultEviction : evictions.get(0));
    }

    private static boolean known(Runnable lookUp, String name, List<String> skipped) {
        try {
            lookUp.run();
            return true;
        } catch (IllegalArgumentException e) {
            skipped.add(name);
            return false;
        }
    }

    private static Map<String, String> settings(SimOptions o) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("invocations per workload", String.format(Locale.ROOT, "%,d", o.invocations()));
        s.put("models", Integer.toString(o.models()));
        s.put("hosts", Integer.toString(o.hosts()));
        s.put("CPU tiers (cluster)", String.format(Locale.ROOT, "%.0f%% of the catalogue's bytes", 100 * o.capacity()));
        s.put("disk tier (host)", String.format(Locale.ROOT, "%.1f x its CPU tier", o.diskFactor()));
        s.put("GPU tiers (cluster)", o.gpu() == 0 ? "none" : String.format(Locale.ROOT, "%.0f%% of the catalogue's "
                + "bytes", 100 * o.gpu()));
        s.put("model sizes", "log-uniform 50 MB to 2 GB; CPU run 0.4 ns per byte x log-normal noise (sigma 0.3); "
                + "GPU run 8x faster");
        s.put("throughputs", String.format(Locale.ROOT, "fetch %.0f MB/s, disk to CPU %.0f MB/s, CPU to GPU %.0f MB/s "
                + "(each load at the full rate)", o.fetchMbPerSecond(), o.diskMbPerSecond(), o.gpuMbPerSecond()));
        s.put("arrival rate", String.format(Locale.ROOT, "%.2f requests per second per host, mean over the trace",
                o.rate()));
        s.put("seed", Long.toString(o.seed()));
        return s;
    }
}
