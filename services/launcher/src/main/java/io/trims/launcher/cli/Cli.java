package io.trims.launcher.cli;

import io.trims.protocol.auth.ApiKeys;
import io.trims.protocol.auth.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command-line client: {@code trims upload|models|infer|health|key}, over the same HTTP API any client uses
 * ({@code TRIMS_URL}, default {@code http://localhost:8080}; the key TRIMS_API_KEY, when set, is sent with every
 * request). {@code infer --text} tokenizes with the tokenizer
 * files of the demo models, so a text model can be tried without writing v2 JSON by hand.
 */
public final class Cli {

    public static final String USAGE = """
              upload FILE NAME [VERSION]   upload an ONNX file (VERSION: one past the newest numeric version, else 1)
              models                       list registered model versions
              infer NAME [--version V] [--tokenizer T] --text TEXT [--text TEXT ...]
                                           tokenize the texts (a batch), infer, print where it ran and the outputs
              health [URL]                 exit 0 when URL (default TRIMS_URL/v2/health/ready) answers 200
              key TENANT [read|write]      make up an API key (default role write): prints the key, once, and the
                                           line for TRIMS_API_KEYS_FILE, which holds only its salted hash""";

    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private final URI base;
    private final String key;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param key the API key sent with every request; null: none */
    public Cli(URI base, String key, PrintStream out) {
        this.base = base;
        this.key = key;
        this.out = out;
    }

    /** {@code request} with {@code Authorization: Bearer key}, unless the key is null or blank. */
    public static HttpRequest.Builder withKey(HttpRequest.Builder request, String key) {
        return key == null || key.isBlank() ? request : request.header("authorization", "Bearer " + key.trim());
    }

    /** Runs one command; the exit status: 0 done, 1 the server refused or failed, 2 a usage error. */
    public int run(String command, List<String> args) throws IOException, InterruptedException {
        try {
            return switch (command) {
                case "upload" -> upload(args);
                case "models" -> models();
                case "infer" -> infer(args);
                case "health" -> health(args);
                case "key" -> key(args);
                default -> throw new UsageException("unknown command '" + command + "'");
            };
        } catch (UsageException e) {
            out.println("trims " + command + ": " + e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (RefusedException e) {
            out.println("trims " + command + ": " + e.getMessage());
            return 1;
        }
    }

    private int upload(List<String> args) throws IOException, InterruptedException {
        if (args.size() < 2 || args.size() > 3) {
            throw new UsageException("upload takes FILE NAME [VERSION]");
        }
        Path file = Path.of(args.get(0));
        if (!Files.isRegularFile(file)) {
            throw new UsageException("no such file: " + file);
        }
        String name = args.get(1);
        String version = args.size() == 3 ? args.get(2) : nextVersion(name);
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/v1/models/" + segment(name) + "/versions/"
                + segment(version))).PUT(HttpRequest.BodyPublishers.ofFile(file)));
        JsonObject record = expect(answer, 201);
        out.printf(Locale.ROOT, "uploaded %s version %s (%d bytes, sha256 %s)%n", record.getString("name"),
                record.getString("version"), record.getLong("size_bytes"), record.getString("sha256"));
        return 0;
    }

    /** One past the newest numeric version of a model, or 1 for a model not registered yet. */
    private String nextVersion(String name) throws IOException, InterruptedException {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/v1/models/" + segment(name))).GET());
        if (answer.statusCode() == 404) {
            return "1";
        }
        long newest = 0;
        for (Object version : versions(expect(answer, 200))) {
            String text = version instanceof JsonObject record ? record.getString("version") : String.valueOf(version);
            if (text != null && text.matches("\\d{1,18}")) {
                newest = Math.max(newest, Long.parseLong(text));
            }
        }
        return Long.toString(newest + 1);
    }

    private int models() throws IOException, InterruptedException {
        JsonArray models = expect(send(HttpRequest.newBuilder(uri("/v1/models")).GET()), 200)
                .getJsonArray("models", new JsonArray());
        out.printf(Locale.ROOT, "%-24s %-8s %12s  %-14s %s%n", "model", "version", "bytes", "sha256", "inputs");
        for (Object entry : models) {
            JsonObject record = (JsonObject) entry;
            List<String> inputs = new ArrayList<>();
            record.getJsonArray("inputs", new JsonArray()).forEach(input -> {
                JsonObject spec = (JsonObject) input;
                inputs.add(spec.getString("name") + " " + spec.getString("datatype") + spec.getJsonArray("shape").encode());
            });
            String sha = record.getString("sha256", "");
            out.printf(Locale.ROOT, "%-24s %-8s %12d  %-14s %s%n", record.getString("name"), record.getString("version"),
                    record.getLong("size_bytes", 0L), sha.substring(0, Math.min(12, sha.length())), String.join(", ", inputs));
        }
        return 0;
    }

    private int infer(List<String> args) throws IOException, InterruptedException {
        InferCommand command = InferCommand.parse(args);
        String path = "/v2/models/" + segment(command.model())
                + (command.version() == null ? "" : "/versions/" + segment(command.version()));
        JsonObject metadata = expect(send(HttpRequest.newBuilder(uri(path)).GET()), 200);
        WordPieceTokenizer tokenizer = Tokenizers.forModel(command.tokenizer(), command.model());
        JsonObject body = TextBatch.request(tokenizer, command.texts(), metadata.getJsonArray("inputs"));
        long started = System.nanoTime();
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(path + "/infer"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
        double millis = (System.nanoTime() - started) / 1e6;
        JsonObject response = expect(answer, 200);
        out.printf(Locale.ROOT, "%s version %s on %s, tier %s, predicted %s ms, took %.1f ms%n",
                response.getString("model_name"), response.getString("model_version"),
                answer.headers().firstValue("trims-host").orElse("?"), answer.headers().firstValue("trims-tier").orElse("?"),
                answer.headers().firstValue("trims-predicted-ms").orElse("?"), millis);
        for (Object output : response.getJsonArray("outputs")) {
            out.println("  " + TextBatch.describe((JsonObject) output));
        }
        return 0;
    }

    private int health(List<String> args) throws IOException, InterruptedException {
        URI target = args.isEmpty() ? uri("/v2/health/ready") : URI.create(args.get(0));
        try {
            int status = http.send(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            out.println(target + " answered " + status);
            return status == 200 ? 0 : 1;
        } catch (IOException e) {
            out.println(target + " did not answer: " + e.getMessage());
            return 1;
        }
    }

    private int key(List<String> args) {
        if (args.isEmpty() || args.size() > 2) {
            throw new UsageException("key takes TENANT [read|write]");
        }
        String role = args.size() == 2 ? args.get(1).toLowerCase(Locale.ROOT) : "write";
        if (!role.equals("read") && !role.equals("write")) {
            throw new UsageException("the role must be read or write (the admin key is TRIMS_ADMIN_KEY), got '"
                    + args.get(1) + "'");
        }
        String made = ApiKeys.newKey();
        String line;
        try {
            line = ApiKeys.line(args.get(0), Role.valueOf(role.toUpperCase(Locale.ROOT)), made);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        out.println("key (give it to the tenant; it is not stored anywhere): " + made);
        out.println("line for TRIMS_API_KEYS_FILE (append ':RPS:BYTES' for quotas of its own):");
        out.println(line);
        return 0;
    }

    private static JsonArray versions(JsonObject model) {
        JsonArray versions = model.getJsonArray("versions");
        return versions == null ? new JsonArray() : versions;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(withKey(request, key).timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject expect(HttpResponse<String> answer, int status) {
        if (answer.statusCode() != status) {
            throw new RefusedException(answer.request().method() + " " + answer.uri().getPath() + " answered "
                    + answer.statusCode() + ": " + answer.body());
        }
        return new JsonObject(answer.body());
    }

    private URI uri(String path) {
        return base.resolve(path);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A command line that does not say what to do. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** The server answered, but not with what the command needed. */
    private static final class RefusedException extends RuntimeException {
        RefusedException(String message) {
            super(message);
        }
    }
}
