package io.trims.launcher;

import io.trims.launcher.cli.Cli;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The demo a user would do by hand against a running cluster, over HTTP only: upload six real pretrained
 * embedding models (the ONNX files inside the langchain4j jars on the class path) through the registry, each as a
 * variant of the task {@value #TASK}, then send a few infer requests for each through the front door and print
 * where each ran and how long it took, then a few model-less requests with different targets and the variant
 * each got. The first request of a model is a cold start (tier remote: fetched from object storage); the next
 * ones are warm.
 */
public final class Demo {

    public static final String TASK = "sentence-embedding";

    /**
     * A model to upload: its name in trims, the class-path resource holding its ONNX file, and its accuracy for
     * the task: the MTEB English average its model card or the MTEB leaderboard publishes; a quantized variant,
     * whose card publishes none, is registered 0.5 below its full-precision model (an estimate, see the README).
     */
    public record DemoModel(String name, String resource, double accuracy, boolean quantized) {}

    public static final List<DemoModel> MODELS = List.of(
            new DemoModel("all-minilm-l6-v2", "all-minilm-l6-v2.onnx", 56.26, false),
            new DemoModel("bge-small-en-v15", "bge-small-en-v1.5.onnx", 62.17, false),
            new DemoModel("e5-small-v2", "e5-small-v2.onnx", 59.93, false),
            new DemoModel("all-minilm-l6-v2-q", "all-minilm-l6-v2-q.onnx", 55.76, true),
            new DemoModel("bge-small-en-v15-q", "bge-small-en-v1.5-q.onnx", 61.67, true),
            new DemoModel("e5-small-v2-q", "e5-small-v2-q.onnx", 59.43, true));

    /** Model-less requests of the demo: no target, a tight latency target, an accuracy floor, an impossible one. */
    private static final List<JsonObject> TARGETS = List.of(new JsonObject(),
            new JsonObject().put("max_latency_ms", 50), new JsonObject().put("min_accuracy", 60),
            new JsonObject().put("max_latency_ms", 0.1));

    /** "[CLS] hello world [SEP]" in the BERT uncased vocabulary both models share. */
    private static final long[] TOKENS = {101, 7592, 2088, 102};
    private static final String VERSION = "1";

    private final URI base;
    private final String key;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param key the API key sent with every request (uploads need a write or admin key); null: none */
    public Demo(URI base, String key, PrintStream out) {
        this.base = base;
        this.key = key;
        this.out = out;
    }

    public void run(int requestsPerModel) throws IOException, InterruptedException {
        awaitReady(Duration.ofSeconds(60));
        for (DemoModel model : MODELS) {
            upload(model);
        }
        out.printf(Locale.ROOT, "%-18s %-10s %-7s %-9s %10s  %s%n", "model", "host", "tier", "placement", "latency", "output");
        String body = requestFor(MODELS.get(0).name());
        for (DemoModel model : MODELS) {
            for (int i = 0; i < requestsPerModel; i++) {
                infer("/v2/models/" + model.name() + "/infer", body);
            }
        }
        out.println();
        out.println("model-less: POST /v2/tasks/" + TASK + "/infer, the variant chosen for the targets");
        for (JsonObject targets : TARGETS) {
            out.print((targets.isEmpty() ? "no targets" : targets.encode()) + ": ");
            infer("/v2/tasks/" + TASK + "/infer", new JsonObject(body).put("parameters", targets).encode());
        }
    }

    private void awaitReady(Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                if (send(HttpRequest.newBuilder(base.resolve("/v2/health/ready")).GET()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the front door is still starting: keep polling until the deadline
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("no live agent behind " + base + " within " + patience.toSeconds() + " s");
            }
            Thread.sleep(250);
        }
    }

    /** Streams the ONNX file from the class path to the registry, as {@code curl -T model.onnx} would. */
    private void upload(DemoModel model) throws IOException, InterruptedException {
        if (Demo.class.getClassLoader().getResource(model.resource()) == null) {
            throw new IOException("resource " + model.resource() + " is not on the class path");
        }
        long started = System.nanoTime();
        HttpResponse<String> answer = send(HttpRequest.newBuilder(
                        base.resolve("/v1/models/" + model.name() + "/versions/" + VERSION + "?task=" + TASK
                                + "&accuracy=" + model.accuracy() + (model.quantized() ? "&tags=quantized" : "")))
                .header("content-type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> resource(model.resource()))));
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (answer.statusCode() == 409) {
            out.printf(Locale.ROOT, "%s version %s is already registered%n", model.name(), VERSION);
        } else if (answer.statusCode() / 100 == 2) {
            JsonObject record = new JsonObject(answer.body());
            out.printf(Locale.ROOT, "uploaded %s version %s (%.1f MiB, sha256 %.12s...) in %d ms%n", model.name(),
                    VERSION, record.getLong("size_bytes", 0L) / 1048576.0, record.getString("sha256", ""), ms);
        } else {
            throw new IOException("upload of " + model.name() + " failed: " + answer.statusCode() + " " + answer.body());
        }
    }

    /**
     * An infer body for every input the model's metadata lists: the token ids, a full mask, segment 0. All six
     * models take the same three inputs.
     */
    private String requestFor(String model) throws IOException, InterruptedException {
        HttpResponse<String> meta = send(HttpRequest.newBuilder(base.resolve("/v2/models/" + model)).GET());
        if (meta.statusCode() != 200) {
            throw new IOException("metadata of " + model + ": " + meta.statusCode() + " " + meta.body());
        }
        JsonArray inputs = new JsonArray();
        for (Object spec : new JsonObject(meta.body()).getJsonArray("inputs")) {
            String name = ((JsonObject) spec).getString("name");
            JsonArray data = new JsonArray();
            for (long token : TOKENS) {
                data.add(name.contains("mask") ? 1L : name.contains("type") ? 0L : token);
            }
            inputs.add(new JsonObject().put("name", name).put("datatype", "INT64")
                    .put("shape", new JsonArray().add(1).add(TOKENS.length)).put("data", data));
        }
        return new JsonObject().put("inputs", inputs).encode();
    }

    private void infer(String path, String body) throws IOException, InterruptedException {
        long started = System.nanoTime();
        HttpResponse<String> answer = send(HttpRequest.newBuilder(base.resolve(path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        double ms = (System.nanoTime() - started) / 1e6;
        String output;
        String model = "-";
        if (answer.statusCode() == 200) {
            JsonObject json = new JsonObject(answer.body());
            model = json.getString("model_name", model);
            JsonObject first = json.getJsonArray("outputs").getJsonObject(0);
            output = first.getString("name") + " " + first.getJsonArray("shape").encode()
                    + answer.headers().firstValue("trims-latency-target").map(t -> " (latency target " + t + ")")
                    .orElse("");
        } else {
            output = "status " + answer.statusCode() + ": " + answer.body();
        }
        out.printf(Locale.ROOT, "%-18s %-10s %-7s %-9s %7.1f ms  %s%n", model,
                answer.headers().firstValue("trims-host").orElse("-"),
                answer.headers().firstValue("trims-tier").orElse("-"),
                answer.headers().firstValue("trims-placement").orElse("-"), ms, output);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(Cli.withKey(request, key).timeout(Duration.ofMinutes(3)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static InputStream resource(String name) {
        return Demo.class.getClassLoader().getResourceAsStream(name);
    }
}
