package io.trims.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A KServe v2 infer body for a BERT-style model (MiniLM): {@code batch} rows of {@code seq} token ids
 * ([CLS] ... [SEP], the middle drawn from a fixed seed so every run sends the same bytes), a full attention mask
 * and segment 0, all INT64 with shape [batch, seq].
 */
final class InferBody {

    private static final long CLS = 101;
    private static final long SEP = 102;

    private InferBody() {
    }

    static byte[] of(int batch, int seq) {
        Random random = new Random(42L * batch + seq);
        JsonArray ids = new JsonArray();
        JsonArray mask = new JsonArray();
        JsonArray types = new JsonArray();
        for (int row = 0; row < batch; row++) {
            for (int i = 0; i < seq; i++) {
                ids.add(i == 0 ? CLS : i == seq - 1 ? SEP : 1000 + random.nextInt(28_000));
                mask.add(1L);
                types.add(0L);
            }
        }
        JsonArray inputs = new JsonArray()
                .add(input("input_ids", batch, seq, ids))
                .add(input("attention_mask", batch, seq, mask))
                .add(input("token_type_ids", batch, seq, types));
        return new JsonObject().put("inputs", inputs).encode().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject input(String name, int batch, int seq, JsonArray data) {
        return new JsonObject().put("name", name).put("datatype", "INT64")
                .put("shape", new JsonArray().add(batch).add(seq)).put("data", data);
    }
}
