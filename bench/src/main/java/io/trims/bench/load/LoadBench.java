package io.trims.bench.load;

import io.trims.bench.cluster.BenchModel;
import io.trims.bench.cluster.BenchSettings;
import io.trims.bench.cluster.MachineInfo;
import io.trims.bench.cluster.OpenLoop;
import io.trims.bench.cluster.Outcome;
import io.trims.bench.cluster.Workload;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The open-loop load test: a front door and agents as processes of their own, one small generated MLP, requests
 * sent at a fixed rate whatever the answers (latency from the time each was due), and {@code load.md} with the
 * statuses and p50/p99. Usage: {@code LoadBench [--rate r] [--seconds s] [--agents n] [--out dir] [--label text]};
 * run it with bench/scripts/load.sh.
 */
public final class LoadBench {

    public static final String REPORT = "load.md";
    /** Beyond any answer of a warm 2 MB model: a request this late is a hang, counted as unanswered. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final long MIB = 1L << 20;

    private LoadBench() {
    }

    public static void main(String[] args) {
        try {
            Map<String, String> options = options(args);
            Path out = Path.of(options.getOrDefault("--out", "bench/results/" + LocalDate.now()));
            Path report = run(Double.parseDouble(options.getOrDefault("--rate", "40")),
                    Double.parseDouble(options.getOrDefault("--seconds", "60")),
                    Integer.parseInt(options.getOrDefault("--agents", "2")), out,
                    options.getOrDefault("--label", "unlabelled"));
            System.out.println("report written to " + report.toAbsolutePath());
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    static Path run(double rate, double seconds, int agents, Path out, String label) throws Exception {
        String loadBefore = MachineInfo.loadAverage();
        LoadCluster.Shape shape = new LoadCluster.Shape(agents, new BenchSettings.Budgets(256 * MIB, 512 * MIB), Map.of());
        LoadResult result;
        BenchModel model;
        try (LoadCluster cluster = LoadCluster.start("load", shape)) {
            model = cluster.write("load-mlp", 256, 8, 21);
            byte[] body = cluster.register(model);
            warm(cluster.frontDoor(), model.name(), body, 20);
            result = offer(cluster.frontDoor(), model.name(), body, rate, seconds);
        }
        System.out.println(result.summary());
        Files.createDirectories(out);
        Path report = out.resolve(REPORT);
        Files.writeString(report, markdown(label, result, model, agents, loadBefore, MachineInfo.loadAverage()));
        return report;
    }

    /** Sends {@code rate} requests a second for {@code seconds} to the front door, open loop. */
    public static LoadResult offer(String frontDoor, String model, byte[] body, double rate, double seconds)
            throws InterruptedException {
        URI url = URI.create(frontDoor + "/v2/models/" + model + "/infer");
        List<Outcome> outcomes = new OpenLoop(REQUEST_TIMEOUT, REQUEST_TIMEOUT)
                .run(Workload.fixedRate(rate, seconds, 1), i -> url, List.of(body));
        return new LoadResult(outcomes, rate, seconds);
    }

    /** {@code times} requests one after another, each must be 200: the model is loaded and the paths are warm. */
    public static void warm(String frontDoor, String model, byte[] body, int times)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < times; i++) {
            HttpResponse<String> answer = http.send(infer(frontDoor, model, body), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IOException("warm-up request " + (i + 1) + " for " + model + " answered "
                        + answer.statusCode() + ": " + answer.body());
            }
        }
    }

    static HttpRequest infer(String frontDoor, String model, byte[] body) {
        return HttpRequest.newBuilder(URI.create(frontDoor + "/v2/models/" + model + "/infer"))
                .timeout(REQUEST_TIMEOUT).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static String markdown(String label, LoadResult r, BenchModel model, int agents, String loadBefore,
                                   String loadAfter) {
        StringBuilder md = new StringBuilder("# Open-loop load test\n\n");
        md.append(String.format(Locale.ROOT, """
                Code: %s. Machine: %s. Load average before %s, after %s.

                A front door and %d agents, each a process of its own (`java -jar trims.jar`, Hazelcast directory, \
                S3Proxy in the benchmark's process), one model %s (%.1f MB, %s) warmed by 20 requests; then %.0f \
                requests a second for %.0f s at fixed intervals, each sent when due whatever the earlier ones got \
                (java.net.http, async), latency counted from the time it was due.

                | offered (req/s) | held (ok/s) | requests | 200 | 5xx | unanswered | p50 (ms) | p99 (ms) | max (ms) | max send lag (ms) |
                |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                | %.1f | %.1f | %d | %d | %d | %d | %.2f | %.2f | %.2f | %.2f |

                Statuses: %s.
                """, label, MachineInfo.here().describe(), loadBefore, loadAfter, agents, model.name(),
                model.bytes() / 1e6, model.origin(), r.rate(), r.seconds(), r.rate(), r.heldRate(), r.outcomes().size(),
                r.statuses().getOrDefault(200, 0L), r.serverErrors(), r.unanswered(), r.latencyMs(0.5),
                r.latencyMs(0.99), r.latencyMs(1), r.maxSendLagMs(), r.statuses()));
        List<String> errors = r.errors(5);
        if (!errors.isEmpty()) {
            md.append("\nErrors (first distinct ones):\n\n");
            errors.forEach(e -> md.append("- ").append(e.replace('\n', ' ')).append('\n'));
        }
        return md.toString();
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("options are --name value pairs; got " + args[i]);
            }
            options.put(args[i], args[i + 1]);
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("option " + args[args.length - 1] + " has no value");
        }
        return options;
    }
}
