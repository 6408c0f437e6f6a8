package io.trims.bench.load;

import io.trims.bench.cluster.BenchModel;
import io.trims.bench.cluster.BenchSettings;
import io.trims.bench.cluster.MachineInfo;
import io.trims.bench.cluster.TrimsCluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The soak: one agent and the front door as processes of their own; {@code --register-cycles} times register a
 * model, infer once, delete it; then {@code --demotion-cycles} times infer model A and model B in turn, on a CPU tier
 * that holds only one of them, so each request demotes the other to disk and loads its own from disk (an ONNX
 * Runtime session closed and one created per request). The agent's and the front door's heap after a full
 * collection, resident set, open files and threads are read at checkpoints; {@code soak.md} shows them. Usage:
 * {@code SoakBench [--register-cycles n] [--demotion-cycles n] [--out dir] [--label text]}; run it with
 * bench/scripts/soak.sh.
 */
public final class SoakBench {

    public static final String REPORT = "soak.md";
    private static final int WARM_CYCLES = 20;
    private static final int CHECKPOINTS = 10;
    private static final long MIB = 1L << 20;

    /** Both processes' figures after {@code cycles} cycles of {@code phase}, {@code seconds} into the run. */
    record Checkpoint(String phase, int cycles, double seconds, ProcessFigures agent, ProcessFigures frontDoor) {}

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final LoadCluster cluster;
    private final List<Checkpoint> checkpoints = new ArrayList<>();
    private final Map<String, Integer> demotionTiers = new TreeMap<>();
    private final long started = System.nanoTime();
    private final Path report;
    private final String label;
    private final String loadBefore;
    private BenchModel template;
    private int registerDone;
    private double registerSeconds;
    private int demotionDone;
    private double demotionSeconds;

    private SoakBench(LoadCluster cluster, Path report, String label, String loadBefore) {
        this.cluster = cluster;
        this.report = report;
        this.label = label;
        this.loadBefore = loadBefore;
    }

    public static void main(String[] args) {
        try {
            Map<String, String> options = LoadBench.options(args);
            Path out = Path.of(options.getOrDefault("--out", "bench/results/" + LocalDate.now()));
            int register = Integer.parseInt(options.getOrDefault("--register-cycles", "1000"));
            int demotion = Integer.parseInt(options.getOrDefault("--demotion-cycles", "1000"));
            String loadBefore = MachineInfo.loadAverage();
            LoadCluster.Shape shape = new LoadCluster.Shape(1, new BenchSettings.Budgets(3 * MIB, 64 * MIB), Map.of());
            Files.createDirectories(out);
            try (LoadCluster cluster = LoadCluster.start("soak", shape)) {
                new SoakBench(cluster, out.resolve(REPORT), options.getOrDefault("--label", "unlabelled"), loadBefore)
                        .soak(register, demotion);
            }
            System.out.println("report written to " + out.resolve(REPORT).toAbsolutePath());
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private void soak(int registerCycles, int demotionCycles) throws Exception {
        template = cluster.write("soak-template", 256, 8, 31);
        byte[] body = cluster.register(template);
        BenchModel a = cluster.write("soak-a", 256, 8, 32);
        BenchModel b = cluster.write("soak-b", 256, 8, 33);
        cluster.register(a);
        cluster.register(b);
        for (int i = 0; i < WARM_CYCLES; i++) {
            registerCycle(template, "soak-warm-" + i, body);
            demotionCycle(a, b, body, null);
        }
        checkpoint("warm (before)", 0);
        phase("register-infer-delete", registerCycles, i -> {
            registerCycle(template, "soak-" + i, body);
            registerDone = i + 1;
        }, s -> registerSeconds = s);
        phase("CPU-disk demotion", demotionCycles, i -> {
            demotionCycle(a, b, body, demotionTiers);
            demotionDone = i + 1;
        }, s -> demotionSeconds = s);
    }

    /** Rewritten at every checkpoint, so a run stopped early still leaves what it measured. */
    private void writeReport() throws IOException {
        Files.writeString(report, SoakReport.markdown(label, MachineInfo.here().describe(), loadBefore,
                MachineInfo.loadAverage(), template, checkpoints, registerDone, registerSeconds, demotionDone,
                demotionSeconds, demotionTiers));
    }

    private interface Cycle {
        void run(int i) throws IOException, InterruptedException;
    }

    /** Runs {@code cycles} cycles with {@link #CHECKPOINTS} checkpoints, telling {@code took} the seconds so far. */
    private void phase(String name, int cycles, Cycle cycle, java.util.function.DoubleConsumer took)
            throws IOException, InterruptedException {
        double seconds = 0;
        int every = Math.max(1, cycles / CHECKPOINTS);
        for (int i = 0; i < cycles; i++) {
            long t = System.nanoTime();
            cycle.run(i);
            seconds += (System.nanoTime() - t) / 1e9;
            took.accept(seconds);
            if ((i + 1) % every == 0 || i + 1 == cycles) {
                checkpoint(name, i + 1);
                writeReport();
                System.out.printf(Locale.ROOT, "%s: %d cycles in %.1f s%n", name, i + 1, seconds);
            }
        }
    }

    private void registerCycle(BenchModel template, String name, byte[] body) throws IOException, InterruptedException {
        String version = cluster.frontDoor() + "/v1/models/" + name + "/versions/1";
        expect(HttpRequest.newBuilder(URI.create(version)).header("content-type", "application/octet-stream")
                .header("authorization", "Bearer " + cluster.adminKey())
                .PUT(HttpRequest.BodyPublishers.ofFile(template.file())), 201, "register " + name);
        expect(infer(name, body), 200, "infer " + name);
        expect(HttpRequest.newBuilder(URI.create(version)).header("authorization", "Bearer " + cluster.adminKey())
                .DELETE(), 204, "delete " + name);
    }

    /** A then B: each has to come back from disk, the other one is demoted to make room. */
    private void demotionCycle(BenchModel a, BenchModel b, byte[] body, Map<String, Integer> tiers)
            throws IOException, InterruptedException {
        for (BenchModel model : List.of(a, b)) {
            HttpResponse<String> answer = expect(infer(model.name(), body), 200, "infer " + model.name());
            if (tiers != null) {
                tiers.merge(answer.headers().firstValue("trims-tier").orElse("-"), 1, Integer::sum);
            }
        }
    }

    private HttpRequest.Builder infer(String model, byte[] body) {
        return HttpRequest.newBuilder(URI.create(cluster.frontDoor() + "/v2/models/" + model + "/infer"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private HttpResponse<String> expect(HttpRequest.Builder request, int status, String what)
            throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != status) {
            throw new IOException(what + " answered " + answer.statusCode() + " (wanted " + status + "): " + answer.body());
        }
        return answer;
    }

    private void checkpoint(String phase, int cycles) throws IOException, InterruptedException {
        TrimsCluster c = cluster.cluster();
        checkpoints.add(new Checkpoint(phase, cycles, (System.nanoTime() - started) / 1e9,
                ProcessFigures.of(c.agentProcesses().get(0).pid(), c.agentUrls().get(0)),
                ProcessFigures.of(c.placementProcess().pid(), c.frontDoor())));
    }
}
