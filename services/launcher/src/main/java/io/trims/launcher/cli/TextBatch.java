package io.trims.launcher.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A batch of texts as a text model's v2 inputs: token ids padded to the longest text, the attention mask that
 * hides the padding, and token type ids of 0, each sent only when the model's metadata names it.
 */
final class TextBatch {

    private static final int SHOWN_VALUES = 6;

    private TextBatch() {
    }

    static JsonObject request(WordPieceTokenizer tokenizer, List<String> texts, JsonArray modelInputs) {
        List<long[]> encoded = texts.stream().map(tokenizer::encode).toList();
        int length = encoded.stream().mapToInt(ids -> ids.length).max().orElse(0);
        JsonArray ids = new JsonArray();
        JsonArray mask = new JsonArray();
        JsonArray types = new JsonArray();
        for (long[] text : encoded) {
            for (int i = 0; i < length; i++) {
                ids.add(i < text.length ? text[i] : 0L);
                mask.add(i < text.length ? 1L : 0L);
                types.add(0L);
            }
        }
        JsonArray shape = new JsonArray().add(encoded.size()).add(length);
        JsonArray inputs = new JsonArray();
        List<String> unknown = new ArrayList<>();
        for (Object entry : modelInputs) {
            String name = ((JsonObject) entry).getString("name");
            JsonArray data = switch (name) {
                case "input_ids" -> ids;
                case "attention_mask" -> mask;
                case "token_type_ids" -> types;
                default -> null;
            };
            if (data == null) {
                unknown.add(name);
            } else {
                inputs.add(new JsonObject().put("name", name).put("datatype", "INT64").put("shape", shape).put("data", data));
            }
        }
        if (!unknown.isEmpty()) {
            throw new Cli.UsageException("the model takes inputs " + unknown
                    + " besides input_ids, attention_mask, token_type_ids: --text cannot fill them");
        }
        return new JsonObject().put("inputs", inputs);
    }

    /** One output as a line: name, datatype, shape, and its first values. */
    static String describe(JsonObject output) {
        JsonArray data = output.getJsonArray("data", new JsonArray());
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(SHOWN_VALUES, data.size()); i++) {
            Object value = data.getValue(i);
            shown.add(value instanceof Number n ? String.format(Locale.ROOT, "%.5g", n.doubleValue()) : String.valueOf(value));
        }
        return output.getString("name") + " " + output.getString("datatype") + output.getJsonArray("shape").encode()
                + " [" + String.join(", ", shown) + (data.size() > SHOWN_VALUES ? ", ..." : "") + "]";
    }
}
