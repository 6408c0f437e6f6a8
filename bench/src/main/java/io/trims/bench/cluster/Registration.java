package io.trims.bench.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Registers the models through the registry's HTTP API (as {@code curl -T} would) and makes each one's infer body
 * from the v2 metadata the front door serves for it: batch 1, every input the model declares.
 */
public final class Registration {

    /** Tokens of a short BERT sentence, [CLS] ... [SEP], for the real embedding models. */
    private static final long[] TOKENS = {101, 7592, 2088, 2003, 1037, 3231, 6251, 102};

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String adminKey;

    /** @param adminKey the front door's admin key (TRIMS_ADMIN_KEY): uploads are writes */
    public Registration(String frontDoor, String adminKey) {
        this.base = frontDoor;
        this.adminKey = adminKey;
    }

    /** Uploads every model as version 1; a version already there (409) is kept. */
    public void upload(List<BenchModel> models) throws IOException, InterruptedException {
        for (BenchModel model : models) {
            long started = System.nanoTime();
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            URI.create(base + "/v1/models/" + model.name() + "/versions/1"))
                    .timeout(Duration.ofMinutes(10))
                    .header("content-type", "application/octet-stream")
                    .header("authorization", "Bearer " + adminKey)
                    .PUT(HttpRequest.BodyPublishers.ofFile(model.file())).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 201 && answer.statusCode() != 409) {
                throw new IOException("upload of " + model.name() + " answered " + answer.statusCode() + ": "
                        + answer.body());
            }
            System.out.printf(Locale.ROOT, "registered %s (%.1f MB) in %.1f s%n", model.name(), model.bytes() / 1e6,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    /** One infer body per model, in the models' order. */
    public List<byte[]> bodies(List<BenchModel> models) throws IOException, InterruptedException {
        List<byte[]> bodies = new ArrayList<>();
        for (BenchModel model : models) {
            HttpResponse<String> meta = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/models/" + model.name()))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (meta.statusCode() != 200) {
                throw new IOException("metadata of " + model.name() + ": " + meta.statusCode() + " " + meta.body());
            }
            bodies.add(bodyFor(new JsonObject(meta.body()).getJsonArray("inputs"), model.name().hashCode()));
        }
        return bodies;
    }

    /**
     * INT64 inputs get the sentence (a mask all ones, segment ids zero) as [1, 8]; FP32 inputs [1, width] values
     * drawn from a seed. Dynamic dimensions are 1 (batch) or the sentence length.
     */
    static byte[] bodyFor(JsonArray specs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        JsonArray inputs = new JsonArray();
        for (int i = 0; i < specs.size(); i++) {
            JsonObject spec = specs.getJsonObject(i);
            String name = spec.getString("name");
            String type = spec.getString("datatype");
            JsonArray declared = spec.getJsonArray("shape");
            JsonArray shape = new JsonArray();
            long elements = 1;
            for (int d = 0; d < declared.size(); d++) {
                long dim = declared.getLong(d);
                long size = dim >= 0 ? dim : d == 0 ? 1 : TOKENS.length;
                shape.add(size);
                elements *= size;
            }
            JsonArray data = new JsonArray();
            for (long k = 0; k < elements; k++) {
                if (type.equals("INT64")) {
                    data.add(name.contains("mask") ? 1L : name.contains("type") ? 0L : TOKENS[(int) (k % TOKENS.length)]);
                } else {
                    data.add((float) (2 * random.nextDouble() - 1));
                }
            }
            inputs.add(new JsonObject().put("name", name).put("datatype", type).put("shape", shape).put("data", data));
        }
        return new JsonObject().put("inputs", inputs).encode().getBytes(StandardCharsets.UTF_8);
    }
}
