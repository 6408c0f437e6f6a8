package io.trims.bench.cluster;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** The run as Markdown: settings, machine, models, one summary table, the comparisons, a table per system, plots. */
public final class ClusterReport {

    /** What the run was, beyond its results. */
    public record Run(String label, String date, MachineInfo machine, String loadBefore, String loadAfter,
                      BenchSettings settings, Workload workload, List<BenchModel> models, double wholeSeconds) {}

    private static final double PAPER_SMALL = 24;
    private static final double PAPER_LARGE = 210;

    private final Run run;
    private final List<SystemResult> results;
    private final StringBuilder md = new StringBuilder();

    public ClusterReport(Run run, List<SystemResult> results) {
        this.run = run;
        this.results = List.copyOf(results);
    }

    /** @param plots Markdown lines for the plots, already decided (an image, or why there is none) */
    public String markdown(List<String> plots) {
        header();
        models();
        summary();
        speedups();
        againstIdeal();
        predictions();
        for (SystemResult r : results) {
            perSystem(r);
        }
        line("## Plots");
        line("");
        plots.forEach(p -> line(p + "\n"));
        return md.toString();
    }

    private void header() {
        BenchSettings s = run.settings();
        line("# trims cluster benchmark" + (s.smoke() ? " (smoke run: tiny models, seconds per system)" : ""));
        line("");
        line("- date: " + run.date() + "; code: " + run.label());
        line("- machine: " + run.machine().describe() + "; load average (1/5/15 min) " + run.loadBefore()
                + " before, " + run.loadAfter() + " after; whole run " + fmt("%.0f", run.wholeSeconds()) + " s");
        line(fmt("- workload: open loop, Poisson arrivals at %.2f requests/s for %.0f s per system (%d requests), "
                        + "models drawn Zipf(s = %.2f) over their rank, seed %d; the same sequence for every system; "
                        + "batch 1; latency = from the request's due time to its last response byte, client-side",
                s.rate(), s.seconds(), run.workload().arrivals().size(), s.zipf(), s.seed()));
        line(fmt("- clusters: a front door with the registry and %d agents, each its own process "
                        + "(`java -jar trims.jar`), on one Hazelcast cluster; object storage an S3Proxy server in the "
                        + "benchmark's process; every system starts cold (fresh agent caches); tier budgets per agent "
                        + "CPU %s and disk %s (ideal: CPU %s, disk %s); GPU tier off", s.agents(),
                gib(s.constrained().cpuBytes()), gib(s.constrained().diskBytes()), gib(s.roomy().cpuBytes()),
                gib(s.roomy().diskBytes())));
        line(fmt("- per-invocation baseline: %d function hosts (own processes); each request goes to one drawn at "
                        + "random, which reads the model from local disk, creates an ONNX Runtime session (the "
                        + "agents' runtime and settings), runs it and closes it; %d concurrent invocations per host, "
                        + "admitted while their models fit in %s (an agent's CPU budget); no front door in front",
                s.agents(), s.functionThreads(), gib(s.constrained().cpuBytes())));
        line(fmt("- client timeout %d s per request; after the last arrival, %d s to drain, then unanswered "
                + "requests are counted as such", s.requestTimeout().toSeconds(), s.drain().toSeconds()));
        line("");
    }

    private void models() {
        line("## Models");
        line("");
        line("| rank | model | size | class | expected share | requests | origin |");
        line("|---:|---|---:|---|---:|---:|---|");
        double[] shares = Workload.zipfShares(run.models().size(), run.settings().zipf());
        for (int i = 0; i < run.models().size(); i++) {
            BenchModel m = run.models().get(i);
            line(fmt("| %d | %s | %s | %s | %.1f%% | %d | %s |", i + 1, m.name(), mb(m.bytes()), m.sizeClass(),
                    100 * shares[i], run.workload().count(i), m.origin()));
        }
        line("");
    }

    private void summary() {
        line("## Systems");
        line("");
        line("Latencies in ms over the successful requests; tiers are shares of the successful requests by the "
                + "`trims-tier` header (where the model was when the request reached its host); object storage, "
                + "evictions and loads are the agents' counters over the measured window (`/metrics`).");
        line("");
        line("| system | policies | requests | ok | failed | unanswered | p50 | p95 | p99 | mean | ok/s "
                + "| gpu | cpu | disk | remote | from object storage | evictions cpu / disk | loads disk / remote |");
        line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (SystemResult r : results) {
            double[] all = Figures.latencies(r, o -> true);
            Map<String, Double> tiers = Figures.tierShares(r);
            AgentScrape a = r.agents();
            boolean baseline = r.spec().perInvocation();
            line(fmt("| %s | %s | %d | %d | %d | %d | %s | %s | %s | %s | %.2f | %s | %s | %s | %s | %s | %s | %s |",
                    r.spec().label(), r.policies(), r.outcomes().size(), r.ok(), r.failed(), r.unanswered(),
                    ms(Figures.quantile(all, 0.5)), ms(Figures.quantile(all, 0.95)), ms(Figures.quantile(all, 0.99)),
                    ms(Figures.mean(all)), Figures.throughput(r), pct(tiers.get("gpu")), pct(tiers.get("cpu")),
                    pct(tiers.get("disk")), pct(tiers.get("remote")),
                    baseline ? "none (read from disk)" : mb(a.fetchBytes()),
                    baseline ? "-" : count(a.evictions().get("cpu")) + " / " + count(a.evictions().get("disk")),
                    baseline ? "-" : count(a.loads().get("disk")) + " / " + count(a.loads().get("remote"))));
        }
        line("");
        saturated();
    }

    /** Names the systems that could not keep up: their latencies are mostly queueing, not loading or running. */
    private void saturated() {
        double offered = run.workload().arrivals().size() / run.settings().seconds();
        for (SystemResult r : results) {
            if (r.unanswered() > 0 || Figures.throughput(r) < 0.9 * offered) {
                line(fmt("- %s did not keep up with the offered %.2f requests/s: it answered %.2f/s over its "
                                + "window and left %d unanswered, so its latencies include a growing queue.",
                        r.spec().label(), offered, Figures.throughput(r), r.unanswered()));
            }
        }
        line("");
    }

    private void speedups() {
        line("## trims against per-invocation loading, beside the TrIMS paper");
        line("");
        Optional<SystemResult> baseline = results.stream().filter(r -> r.spec().perInvocation()).findFirst();
        Optional<SystemResult> trims = trims();
        if (baseline.isEmpty() || trims.isEmpty()) {
            line("Not compared: the run had no per-invocation system or no trims-defaults system.");
            line("");
            return;
        }
        SystemResult a = baseline.get();
        SystemResult d = trims.get();
        line("Speedup = median latency of " + a.spec().label() + " / median latency of " + d.spec().label()
                + " on the same requests (the paper: end-to-end latency, a persistent model store against loading "
                + "the model for every invocation, up to 24x for small models and 210x for large).");
        line("");
        line("| requests | " + a.spec().label() + " p50 | " + d.spec().label() + " p50 | speedup | TrIMS paper |");
        line("|---|---:|---:|---:|---:|");
        speedupRow("small models", a, d, o -> !model(o).large(), fmt("up to %.0fx", PAPER_SMALL));
        speedupRow("large models", a, d, o -> model(o).large(), fmt("up to %.0fx", PAPER_LARGE));
        for (int i = 0; i < run.models().size(); i++) {
            int rank = i;
            speedupRow(run.models().get(i).name(), a, d, o -> o.model() == rank, "");
        }
        line("");
    }

    private void speedupRow(String what, SystemResult a, SystemResult d, Predicate<Outcome> which, String paper) {
        double[] slow = Figures.latencies(a, which);
        double[] fast = Figures.latencies(d, which);
        if (slow.length == 0 || fast.length == 0) {
            line("| " + what + " | - | - | no requests | " + paper + " |");
            return;
        }
        line(fmt("| %s | %s | %s | %.1fx | %s |", what, ms(Figures.quantile(slow, 0.5)), ms(Figures.quantile(fast, 0.5)),
                Figures.medianRatio(a, d, which), paper));
    }

    private void againstIdeal() {
        line("## trims against the ideal, beside the TrIMS paper");
        line("");
        Optional<SystemResult> trims = trims();
        Optional<SystemResult> ideal = results.stream().filter(r -> r.spec().ideal()).findFirst();
        if (trims.isEmpty() || ideal.isEmpty()) {
            line("Not compared: the run had no trims-defaults system or no ideal.");
            line("");
            return;
        }
        double[] d = Figures.latencies(trims.get(), o -> true);
        double[] e = Figures.latencies(ideal.get(), o -> true);
        line("The ideal holds every model in memory before the first request, so no request waits for a load "
                + "(the paper's ideal: no model-loading time). The paper reports TrIMS within 20% of it.");
        line("");
        line("| statistic | " + trims.get().spec().label() + " | " + ideal.get().spec().label() + " | ratio | over ideal |");
        line("|---|---:|---:|---:|---:|");
        for (double q : new double[]{0.5, 0.95, 0.99}) {
            idealRow(fmt("p%.0f", 100 * q), Figures.quantile(d, q), Figures.quantile(e, q));
        }
        idealRow("mean", Figures.mean(d), Figures.mean(e));
        line("");
    }

    private void idealRow(String what, double trims, double ideal) {
        line(fmt("| %s | %s | %s | %.2f | %+.0f%% |", what, ms(trims), ms(ideal), trims / ideal, 100 * (trims / ideal - 1)));
    }

    private void predictions() {
        line("## The front door's completion-time estimates");
        line("");
        boolean any = false;
        StringBuilder rows = new StringBuilder();
        for (SystemResult r : results) {
            double[] errors = Figures.predictionErrors(r);
            if (errors.length > 0) {
                any = true;
                rows.append(fmt("| %s | %d | %.0f%% | %.0f%% |%n", r.spec().label(), errors.length,
                        100 * Figures.quantile(errors, 0.5), 100 * Figures.quantile(errors, 0.95)));
            }
        }
        if (!any) {
            line("No response carried a `trims-predicted-ms` header, so there is nothing to compare.");
        } else {
            line("|measured − predicted| / measured, with measured from send to last byte.");
            line("");
            line("| system | responses with an estimate | p50 error | p95 error |");
            line("|---|---:|---:|---:|");
            md.append(rows);
        }
        line("");
    }

    private void perSystem(SystemResult r) {
        line("## " + r.spec().label() + ": " + r.policies());
        line("");
        line(fmt("Setup %.1f s (processes started%s), measured window %.1f s.", r.setupSeconds(),
                r.spec().ideal() ? ", every model preloaded" : "", r.measureSeconds()));
        r.outcomes().stream().filter(o -> !o.ok()).findFirst().ifPresent(o -> line("First failure: "
                + (o.answered() ? "status " + o.status() + ", " : "") + String.valueOf(o.error()).replace('\n', ' ')
                .replace('|', '/')));
        line("");
        line("| model | requests | ok | p50 | p95 | p99 | gpu | cpu | disk | remote |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < run.models().size(); i++) {
            int rank = i;
            long n = r.outcomes().stream().filter(o -> o.model() == rank).count();
            double[] lat = Figures.latencies(r, o -> o.model() == rank);
            StringBuilder tiers = new StringBuilder();
            for (String tier : Figures.TIERS) {
                tiers.append(r.outcomes().stream().filter(o -> o.ok() && o.model() == rank && tier.equals(o.tier()))
                        .count()).append(" | ");
            }
            line(fmt("| %s | %d | %d | %s | %s | %s | %s", run.models().get(i).name(), n, lat.length,
                    ms(Figures.quantile(lat, 0.5)), ms(Figures.quantile(lat, 0.95)), ms(Figures.quantile(lat, 0.99)),
                    tiers.toString().trim()));
        }
        line("");
    }

    /** The system with the cluster's default policies (not the ideal). */
    private Optional<SystemResult> trims() {
        return results.stream().filter(r -> !r.spec().perInvocation() && !r.spec().ideal()
                && r.spec().placement() == null && r.spec().eviction() == null).findFirst();
    }

    private BenchModel model(Outcome o) {
        return run.models().get(o.model());
    }

    private void line(String text) {
        md.append(text).append('\n');
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "-" : v >= 100 ? fmt("%.0f", v) : fmt("%.1f", v);
    }

    private static String pct(Double v) {
        return v == null || Double.isNaN(v) ? "-" : fmt("%.0f%%", 100 * v);
    }

    private static String count(Double v) {
        return v == null ? "0" : fmt("%.0f", v);
    }

    static String mb(double bytes) {
        return bytes >= 1e9 ? fmt("%.2f GB", bytes / 1e9) : fmt("%.1f MB", bytes / 1e6);
    }

    private static String gib(long bytes) {
        return bytes >= 1L << 30 ? fmt("%.2f GiB", bytes / (double) (1L << 30)) : fmt("%.0f MiB", bytes / (double) (1L << 20));
    }
}
