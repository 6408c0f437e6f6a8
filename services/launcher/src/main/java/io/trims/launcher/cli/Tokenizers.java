package io.trims.launcher.cli;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the tokenizer for {@code trims infer --text}: a {@code tokenizer.json} file, or one of the tokenizers the
 * demo models' jars ship, by the demo model's name (given, or the name the model is served under).
 */
final class Tokenizers {

    /** Demo model name → the class-path resource of its tokenizer. */
    static final Map<String, String> SHIPPED = Map.of(
            "all-minilm-l6-v2", "all-minilm-l6-v2-tokenizer.json",
            "bge-small-en-v15", "bge-small-en-v1.5-tokenizer.json",
            "e5-small-v2", "e5-small-v2-tokenizer.json",
            "all-minilm-l6-v2-q", "all-minilm-l6-v2-q-tokenizer.json",
            "bge-small-en-v15-q", "bge-small-en-v1.5-q-tokenizer.json",
            "e5-small-v2-q", "e5-small-v2-q-tokenizer.json");

    private Tokenizers() {
    }

    /** @param named a tokenizer.json path or a demo model name; null: the one shipped for {@code model} */
    static WordPieceTokenizer forModel(String named, String model) throws IOException {
        String choice = named != null ? named : model;
        if (named != null && Files.isRegularFile(Path.of(named))) {
            return WordPieceTokenizer.fromJson(new JsonObject(Files.readString(Path.of(named))));
        }
        String resource = SHIPPED.get(choice);
        if (resource == null) {
            throw new Cli.UsageException("no tokenizer known for '" + choice + "': pass --tokenizer with a"
                    + " tokenizer.json file or one of " + SHIPPED.keySet());
        }
        try (InputStream in = Tokenizers.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new Cli.UsageException("tokenizer " + resource + " is not on the class path");
            }
            return WordPieceTokenizer.fromJson(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
    }
}
