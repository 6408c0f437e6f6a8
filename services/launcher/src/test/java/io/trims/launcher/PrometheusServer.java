package io.trims.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real Prometheus server run as a child process for a test, and its HTTP API. The binaries come from PATH
 * (Debian's {@code prometheus} package); see {@link #unavailable} for when they are not there.
 */
final class PrometheusServer implements AutoCloseable {

    private static final Duration READY_PATIENCE = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.base = "http://127.0.0.1:" + port;
    }

    /** The executable {@code name} on PATH, if there is one. */
    static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Why the check cannot run here, when {@code prometheus} or {@code promtool} is missing; fails instead when
     * TRIMS_REQUIRE_PROMETHEUS=1 says they must be there.
     */
    static Optional<String> unavailable() {
        List<String> missing = Stream.of("prometheus", "promtool").filter(n -> onPath(n).isEmpty()).toList();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        String why = String.join(" and ", missing) + " not on PATH (Debian: apt-get install prometheus)";
        if ("1".equals(System.getenv("TRIMS_REQUIRE_PROMETHEUS"))) {
            fail(why + ", and TRIMS_REQUIRE_PROMETHEUS=1 requires them");
        }
        return Optional.of(why + ": the Prometheus check is skipped (TRIMS_REQUIRE_PROMETHEUS=1 makes it fail)");
    }

    /** Runs {@code binary} with {@code config} on a free local port; returns once it answers ready. */
    static PrometheusServer start(Path binary, Path config, Path work) throws Exception {
        int port = freePort();
        Path log = work.resolve("prometheus.log");
        Process process = new ProcessBuilder(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PrometheusServer server = new PrometheusServer(process, log, port);
        try {
            server.await("Prometheus answers ready", READY_PATIENCE, () -> server.ready());
            return server;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    /** Runs promtool with {@code args}; asserts it exits 0 within 30 s and returns what it printed. */
    static String promtool(Path promtool, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Small output: read it whole, then the exit status.
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("promtool " + String.join(" ", args) + " did not finish within 30 s");
        }
        assertEquals(0, process.exitValue(), "promtool " + String.join(" ", args) + ":\n" + output);
        return output;
    }

    /** The result of an instant query now; fails on an error, with Prometheus's message. */
    JsonArray query(String promql) throws IOException, InterruptedException {
        JsonObject answer = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!"success".equals(answer.getString("status"))) {
            fail("Prometheus refused " + promql + ": " + answer.getString("errorType") + ": " + answer.getString("error"));
        }
        return answer.getJsonObject("data").getJsonArray("result");
    }

    /** Every rule Prometheus loaded, as /api/v1/rules lists them (name, query, health, lastError...). */
    List<JsonObject> rules() throws IOException, InterruptedException {
        List<JsonObject> rules = new ArrayList<>();
        for (Object group : get("/api/v1/rules").getJsonObject("data").getJsonArray("groups")) {
            ((JsonObject) group).getJsonArray("rules").forEach(rule -> rules.add((JsonObject) rule));
        }
        return rules;
    }

    /** Polls {@code condition} every 200 ms until it holds; fails after {@code patience}, with the server's log. */
    void await(String what, Duration patience, Check condition) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.holds()) {
            if (!process.isAlive()) {
                fail("Prometheus exited with " + process.exitValue() + " before: " + what + "\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                fail(what + ": not within " + patience + "\n" + logTail());
            }
            Thread.sleep(200);
        }
    }

    /** The value of each series of an instant query's result. */
    static List<Double> values(JsonArray result) {
        List<Double> values = new ArrayList<>();
        for (Object series : result) {
            values.add(Double.parseDouble(((JsonObject) series).getJsonArray("value").getString(1)));
        }
        return values;
    }

    /** True when the query has at least {@code count} series and every value passes {@code test}. */
    boolean every(String promql, int count, Predicate<Double> test) throws IOException, InterruptedException {
        List<Double> values = values(query(promql));
        return values.size() >= count && values.stream().allMatch(test);
    }

    /** A condition polled by {@link #await}. */
    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    private boolean ready() throws InterruptedException {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/-/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    private JsonObject get(String path) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(answer.body());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "prometheus log (last lines):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no prometheus log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
