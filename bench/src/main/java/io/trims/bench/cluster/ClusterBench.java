package io.trims.bench.cluster;

import io.trims.objectstore.embedded.EmbeddedS3Server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cluster benchmark: real processes on this machine (an S3 server, a front door with the registry, three
 * agents), real and generated models of 0.1 to 2 GB, one seeded open-loop arrival sequence replayed on every system
 * from cold, and a Markdown report with PNG plots in {@code --out} ({@code cluster-bench.md}).
 *
 * <p>Usage: {@code ClusterBench [--smoke] [--with-real true] [--out dir] [--label text] [--rate r] [--seconds s]
 * [--zipf s] [--seed n] [--systems spec]} ({@code TRIMS_BENCH_SMOKE=1} is {@code --smoke}; see {@link SystemSpec}
 * for the systems' spelling). Run it with bench/scripts/cluster-bench.sh.
 */
public final class ClusterBench {

    private static final String ACCESS_KEY = "trims";
    private static final String SECRET_KEY = "trims-secret";
    private static final String BUCKET = "trims-models";
    public static final String REPORT = "cluster-bench.md";

    /** A finished run: where its report is, and what every system did. */
    public record Result(Path report, List<SystemResult> systems, Workload workload) {}

    private ClusterBench() {
    }

    public static void main(String[] args) {
        try {
            Result result = run(options(args));
            System.out.println("report written to " + result.report().toAbsolutePath());
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    public static Result run(Map<String, String> options) throws Exception {
        boolean smoke = options.containsKey("--smoke") || "1".equals(System.getenv("TRIMS_BENCH_SMOKE"));
        String date = LocalDate.now().toString();
        Path out = Path.of(options.getOrDefault("--out", "bench/results/" + date));
        BenchSettings settings = (smoke
                ? BenchSettings.smoke(out, Boolean.parseBoolean(options.getOrDefault("--with-real", "false")))
                : BenchSettings.full(out)).with(options);
        Files.createDirectories(out);
        long started = System.nanoTime();
        String loadBefore = MachineInfo.loadAverage();
        Launch launch = Launch.locate(settings.jvmFlags());
        Path temp = Files.createTempDirectory("trims-cluster-bench-");
        List<SystemResult> results = new ArrayList<>();
        List<BenchModel> models;
        Workload workload;
        try (EmbeddedS3Server s3 = new EmbeddedS3Server(temp.resolve("s3"), 0, ACCESS_KEY, SECRET_KEY).start()) {
            models = ModelSet.materialize(settings.models(), temp.resolve("models"));
            TrimsCluster.Store store = new TrimsCluster.Store(s3.endpoint(), ACCESS_KEY, SECRET_KEY, BUCKET);
            List<byte[]> bodies;
            try (TrimsCluster registry = TrimsCluster.registryOnly(launch, store, temp.resolve("work/registration"),
                    settings.heaps().registration())) {
                Registration registration = new Registration(registry.frontDoor(), registry.adminKey());
                registration.upload(models);
                bodies = registration.bodies(models);
            }
            workload = Workload.poisson(settings.rate(), settings.seconds(), models.size(), settings.zipf(),
                    settings.seed());
            SystemRun runner = new SystemRun(new SystemRun.Context(settings, launch, store, models, bodies, workload,
                    temp.resolve("models"), temp.resolve("work")));
            for (SystemSpec system : settings.systems()) {
                System.out.printf(Locale.ROOT, "system %s (%s): %d requests over %.0f s%n", system.label(),
                        system.policies(), workload.arrivals().size(), settings.seconds());
                SystemResult result = runner.run(system);
                System.out.printf(Locale.ROOT, "system %s: %d ok, %d failed, %d unanswered%n", system.label(),
                        result.ok(), result.failed(), result.unanswered());
                results.add(result);
            }
        } finally {
            SystemRun.delete(temp);
        }
        ClusterPlots plots = new ClusterPlots(out);
        List<String> images = List.of(plots.latencyCdf(results), plots.hottestCopies(results, models.get(0).name(), settings.agents()),
                plots.simulator(out.resolve("simulator.csv")));
        ClusterReport.Run run = new ClusterReport.Run(options.getOrDefault("--label", "unlabelled"), date,
                MachineInfo.here(), loadBefore, MachineInfo.loadAverage(), settings, workload, models,
                (System.nanoTime() - started) / 1e9);
        Path report = out.resolve(REPORT);
        Files.writeString(report, new ClusterReport(run, results).markdown(images));
        writeRequests(out.resolve("requests.csv"), results, models);
        return new Result(report, results, workload);
    }

    /** Every request of every system, for whoever wants other statistics than the report's. */
    private static void writeRequests(Path file, List<SystemResult> results, List<BenchModel> models) throws IOException {
        StringBuilder csv = new StringBuilder("system,model,due_s,latency_ms,status,tier,host,predicted_ms\n");
        for (SystemResult r : results) {
            long first = r.outcomes().isEmpty() ? 0 : r.outcomes().get(0).due();
            for (Outcome o : r.outcomes()) {
                csv.append(String.format(Locale.ROOT, "%s,%s,%.3f,%s,%d,%s,%s,%s%n", r.spec().label(),
                        models.get(o.model()).name(), (o.due() - first) / 1e9,
                        o.answered() ? String.format(Locale.ROOT, "%.2f", o.latencyMs()) : "", o.status(),
                        o.tier() == null ? "" : o.tier(), o.host() == null ? "" : o.host(),
                        Double.isNaN(o.predictedMs()) ? "" : String.format(Locale.ROOT, "%.2f", o.predictedMs())));
            }
        }
        Files.writeString(file, csv);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--smoke")) {
                options.put("--smoke", "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("usage: ClusterBench [--smoke] [--with-real true] [--out dir] "
                        + "[--label text] [--rate r] [--seconds s] [--zipf s] [--seed n] [--systems spec]; got " + args[i]);
            }
        }
        return options;
    }
}
