package io.trims.bench.sim.report;

import io.trims.bench.sim.Bounds;
import io.trims.bench.sim.ClusterSpec;
import io.trims.bench.sim.Experiment;
import io.trims.bench.sim.HostSpec;
import io.trims.bench.sim.SimResult;
import io.trims.bench.sim.workload.Trace;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The simulator's report: settings, workloads, every policy pair against the bounds, the goal, the speed. */
public final class MarkdownReport {

    /** The policies run, those asked for that are not registered, and the product's defaults. */
    public record Policies(List<String> placements, List<String> evictions, List<String> skipped,
                           String defaultPlacement, String defaultEviction) {
    }

    /** One run timed alone at a given scale. */
    public record Speed(int invocations, int models, int hosts, SimResult result, double prepareSeconds) {
    }

    private static final double GIB = 1L << 30;

    private final StringBuilder md = new StringBuilder();

    private MarkdownReport() {
    }

    /**
     * @param settings the options as given (name to value), for the settings table
     */
    public static String markdown(String label, Machine machine, Map<String, String> settings, Policies policies,
                                  List<WorkloadRuns> runs, Optional<Speed> speed, double totalSeconds) {
        MarkdownReport r = new MarkdownReport();
        r.header(label, machine, totalSeconds);
        r.settings(settings, runs);
        r.workloads(runs);
        r.policies(policies);
        r.columns();
        for (WorkloadRuns w : runs) {
            r.results(w, policies);
        }
        r.bounds(runs);
        r.goal(runs, policies);
        speed.ifPresent(r::speed);
        r.speedOfPairs(runs);
        r.csvNote();
        return r.md.toString();
    }

    private void header(String label, Machine machine, double totalSeconds) {
        md.append("# trims simulator\n\n");
        md.append("- code: ").append(label.isEmpty() ? "unlabelled" : label).append('\n');
        md.append("- machine: ").append(machine.describe()).append('\n');
        line("- whole report: %.0f s of wall time", totalSeconds);
        md.append("\nEvery request is placed by the live `PlacementPolicy` over a snapshot of the simulated tier "
                + "directory and served by simulated hosts whose tiers are the agent's own `BudgetedTier` bookkeeping "
                + "with the live `EvictionPolicy` (and `PromotionPolicy`/`UseHistory` where there is a GPU tier), "
                + "driven in the agent's load protocol on simulated time. Ratios are fractions of all requests; the "
                + "tier columns say where a request found its model when it reached its host (the `trims-tier` "
                + "header): a request that arrives while its model is loading there counts as a miss, as the agent "
                + "counts it.\n\n");
    }

    private void settings(Map<String, String> settings, List<WorkloadRuns> runs) {
        md.append("## Settings\n\n| setting | value |\n|---|---|\n");
        settings.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        if (!runs.isEmpty()) {
            ClusterSpec cluster = runs.get(0).experiment().cluster();
            HostSpec h = cluster.host();
            line("| per host (first workload) | %d workers, %d load threads; CPU tier %.2f GiB, disk %.2f GiB, GPU %s |",
                    h.workers(), h.loadThreads(), h.cpuBytes() / GIB, h.diskBytes() / GIB,
                    h.hasGpu() ? String.format(Locale.ROOT, "%.2f GiB", h.gpuBytes() / GIB) : "none");
        }
        md.append('\n');
    }

    private void workloads(List<WorkloadRuns> runs) {
        md.append("## Workloads\n\n| workload | what | requests | models asked | catalogue | span (h) | rate (req/s) "
                + "| CPU tiers hold | catalogue GiB |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (WorkloadRuns w : runs) {
            Experiment e = w.experiment();
            Trace t = e.trace();
            line("| %s | %s | %d | %d | %d | %.1f | %.1f | %.1f%% | %.0f |", t.name(), t.description(), t.size(),
                    t.distinctModels(), e.catalogue().size(), t.spanNanos() / 3.6e12, e.perSecond(),
                    100 * e.cpuFraction(), e.catalogue().totalBytes() / GIB);
        }
        md.append("\nA CPU tier is never smaller than the largest model (which could not run otherwise), so where "
                + "the catalogue split over the hosts is smaller, the tiers hold more than asked.\n\n");
    }

    private void policies(Policies p) {
        line("Placement: %s; eviction: %s; defaults (what an agent and the front door run unconfigured): "
                        + "**%s** + **%s**.%s%n", String.join(", ", p.placements()), String.join(", ", p.evictions()),
                p.defaultPlacement(), p.defaultEviction(), p.skipped().isEmpty() ? ""
                        : " Asked for but not registered yet, so not run: " + String.join(", ", p.skipped()) + ".");
    }

    private void results(WorkloadRuns w, Policies p) {
        Bounds b = w.experiment().bounds();
        md.append("## ").append(w.experiment().trace().name()).append("\n\n");
        md.append("| placement | eviction | GPU | CPU | disk | cold starts | memory miss | vs MIN | delayed hits "
                + "| failed | load delay mean / p99 ms | latency mean / p99 ms |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SimResult r : w.results()) {
            line("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f / %.0f | %.0f / %.0f |",
                    placement(r, p), eviction(r, p), pct(r.ratio(r.servedGpu())), pct(r.ratio(r.servedCpu())),
                    pct(r.ratio(r.servedDisk())), pct(r.coldStartRatio()), pct(r.memoryMissRatio()),
                    gap(r.memoryMissRatio(), b.memory().missRatio()), pct(r.ratio(r.delayedHits())), failures(r),
                    r.loadDelayMeanMs(), r.loadDelayP99Ms(), r.latencyMeanMs(), r.latencyP99Ms());
        }
        line("| *bound* | *Belady MIN* | | | | %s | %s | | | | | |", pct(b.hostTiers().missRatio()),
                pct(b.memory().missRatio()));
        line("| *bound* | *infinite* | | | | %s | %s | | | | | |%n", pct(b.infinite().missRatio()),
                pct(b.infinite().missRatio()));
        md.append("| placement | eviction | fetches | fetched GiB | evictions GPU / CPU / disk | promotions "
                + "| CPU copies | workers busy | load threads busy |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SimResult r : w.results()) {
            line("| %s | %s | %d | %.0f | %d / %d / %d | %d | %.2f | %.0f%% | %.0f%% |", placement(r, p), eviction(r, p),
                    r.fetches(), r.bytesFetched() / GIB, r.evictionsGpu(), r.evictionsCpu(), r.evictionsDisk(),
                    r.promotions(), r.meanCpuCopies(), 100 * r.workersBusy(), 100 * r.loadThreadsBusy());
        }
        line("| *bound* | *Belady MIN* | %d | %.0f | | | | | |", b.hostTiers().misses(),
                b.hostTiers().bytesLoaded() / GIB);
        line("| *bound* | *infinite* | %d | %.0f | | | | | |%n", b.infinite().misses(),
                b.infinite().bytesLoaded() / GIB);
    }

    private static String placement(SimResult r, Policies p) {
        return r.placement().equals(Experiment.POOLED) ? "*pooled*" : bold(r.placement(), isDefault(r, p));
    }

    private static String eviction(SimResult r, Policies p) {
        return bold(r.eviction(), isDefault(r, p));
    }

    private static boolean isDefault(SimResult r, Policies p) {
        return r.placement().equals(p.defaultPlacement()) && r.eviction().equals(p.defaultEviction());
    }

    private void columns() {
        md.append("Two tables per workload. First: where requests found their model on arrival (GPU, CPU, disk, cold "
                + "start: object storage), memory miss = disk + cold starts and its gap to MIN's, delayed hits = "
                + "misses that joined a load of their model already under way on their host (hits for MIN), failed = "
                + "the agent's 503 (busy: room held by models in use or loading) or 507, the wait for a load and the "
                + "arrival-to-answer latency over answered requests. Second: fetches from object storage (for the "
                + "bounds: their misses over all host tiers, or compulsory), evictions per tier, promotions to the "
                + "GPU tier, CPU-tier copies of the requested model in the cluster when it was placed, the share of "
                + "worker and load-thread time in use.\n\n");
    }

    private void bounds(List<WorkloadRuns> runs) {
        md.append("## Bounds\n\nComputed per workload over one pooled cache of the whole cluster's capacity (as if "
                + "every host's tiers were one and placement were free), so every policy pair is measured against the "
                + "same figures. Belady's MIN evicts the residents whose next use is farthest; every requested model is "
                + "admitted. With models of one size that is optimal; **with sizes and load costs that vary, MIN is a "
                + "reference, not the optimum** (keeping two small models can beat keeping one large one used sooner, "
                + "so a size-aware policy may even beat it), and it knows no time: a request that in the cluster waits "
                + "on a load under way is a hit for MIN. The infinite cache misses only each model's first request.\n\n"
                + "The *pooled* rows run each eviction policy the way MIN is computed: one host holding all the "
                + "cluster's memory in its CPU tier and all its disks in its disk tier, requests one at a time in the "
                + "trace's order. Their gap to MIN is the policy's own; what a cluster run adds on top is placement, "
                + "the split into hosts (a host's tier holds only a few large models) and time (requests that arrive "
                + "while their model loads, room held by requests in flight).\n\n"
                + "| workload | MIN memory miss (GPU+CPU capacity) | MIN cold starts (all host tiers) | infinite "
                + "(compulsory) |\n|---|---:|---:|---:|\n");
        for (WorkloadRuns w : runs) {
            Bounds b = w.experiment().bounds();
            line("| %s | %s | %s | %s |", w.experiment().trace().name(), pct(b.memory().missRatio()),
                    pct(b.hostTiers().missRatio()), pct(b.infinite().missRatio()));
        }
        md.append('\n');
    }

    private void goal(List<WorkloadRuns> runs, Policies p) {
        md.append("## Default policies against MIN\n\nTarget: the default pair's memory-miss ratio within 10% of "
                + "MIN's.\n\n| workload | CPU tiers hold | default pair | MIN | gap | default eviction pooled | its gap "
                + "| pair with fewest memory misses | its gap |\n|---|---:|---:|---:|---:|---:|---:|---|---:|\n");
        for (WorkloadRuns w : runs) {
            double min = w.experiment().bounds().memory().missRatio();
            Optional<SimResult> def = w.of(p.defaultPlacement(), p.defaultEviction());
            Optional<SimResult> best = w.fewestMemoryMisses();
            Optional<SimResult> pooled = w.of(Experiment.POOLED, p.defaultEviction());
            line("| %s | %.1f%% | %s | %s | %s | %s | %s | %s | %s |", w.experiment().trace().name(),
                    100 * w.experiment().cpuFraction(), def.map(r -> pct(r.memoryMissRatio())).orElse("not run"),
                    pct(min), def.map(r -> gap(r.memoryMissRatio(), min)).orElse(""),
                    pooled.map(r -> pct(r.memoryMissRatio())).orElse(""),
                    pooled.map(r -> gap(r.memoryMissRatio(), min)).orElse(""),
                    best.map(r -> r.placement() + " + " + r.eviction()).orElse(""),
                    best.map(r -> gap(r.memoryMissRatio(), min)).orElse(""));
        }
        md.append('\n');
    }

    private void speed(Speed s) {
        SimResult r = s.result();
        md.append("## Speed\n\nOne run timed alone: ");
        line("%,d invocations, %,d models, %d hosts, %s + %s on `%s`: trace and bounds %.1f s, simulation %.1f s of "
                        + "wall time (%.1f s of CPU on its thread), %,.0f requests per second of wall time.%n",
                s.invocations(), s.models(), s.hosts(), r.placement(), r.eviction(), r.workload(), s.prepareSeconds(),
                r.wallSeconds(), r.cpuSeconds(), r.requests() / Math.max(1e-9, r.wallSeconds()));
    }

    private void speedOfPairs(List<WorkloadRuns> runs) {
        md.append("Runs of the tables above (pairs run side by side, one per core, so each is slower than alone):\n\n"
                + "| workload | runs | wall s per run (mean, max) | CPU s per run (mean) |\n|---|---:|---:|---:|\n");
        for (WorkloadRuns w : runs) {
            line("| %s | %d | %.1f, %.1f | %.1f |", w.experiment().trace().name(), w.results().size(),
                    w.results().stream().mapToDouble(SimResult::wallSeconds).average().orElse(0),
                    w.results().stream().mapToDouble(SimResult::wallSeconds).max().orElse(0),
                    w.results().stream().mapToDouble(SimResult::cpuSeconds).average().orElse(0));
        }
        md.append('\n');
    }

    private void csvNote() {
        md.append("## CSV\n\n`simulator.csv`, one row per workload and pair, then per workload two bound rows "
                + "(placement `bound`, eviction `belady-min` or `infinite`; only the hit and cold-start ratios and "
                + "bytes are filled in). Ratios are fractions of all requests; `gpu_hit_ratio + cpu_hit_ratio + "
                + "disk_hit_ratio + cold_start_ratio = 1`, `memory_hit_ratio = gpu + cpu`. Columns: `")
                .append(CsvReport.HEADER).append("`.\n");
    }

    private static String failures(SimResult r) {
        if (r.failed() == 0) {
            return "0";
        }
        return pct(r.ratio(r.failed())) + " (" + r.failures().entrySet().stream()
                .map(e -> e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }

    private static String bold(String s, boolean on) {
        return on ? "**" + s + "**" : s;
    }

    private static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * ratio);
    }

    /** How far above the bound, relative to it. */
    private static String gap(double value, double bound) {
        return bound == 0 ? "" : String.format(Locale.ROOT, "%+.0f%%", 100 * (value - bound) / bound);
    }

    private void line(String format, Object... args) {
        md.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
