package io.trims.launcher;

import io.trims.testmodels.OnnxModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The live cluster page in a real headless browser (Debian's chromium, driven by playwright-core from
 * {@code src/test/browser}) against a real embedded cluster of two agents. The page is opened first and must list
 * both agents; only then does this test send infer requests, so what the page shows next (the model READY in a
 * cpu tier, the requests with their latency) can only have come through its event stream. Saves a screenshot:
 * into target/, or over {@code docs/live-page.png} with TRIMS_UPDATE_SCREENSHOT=1.
 *
 * <p>Skipped when node, the browser test's node_modules ({@code npm ci} in src/test/browser) or
 * /usr/bin/chromium is missing, unless TRIMS_REQUIRE_BROWSER=1 (as in CI): then it fails.
 */
class LivePageTest {

    private static final Path BROWSER_TEST = Path.of("src/test/browser").toAbsolutePath();
    private static final Path SCRIPT = BROWSER_TEST.resolve("live-page.mjs");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Duration PAGE_OPEN = Duration.ofSeconds(60);
    private static final Duration BROWSER_DONE = Duration.ofSeconds(75);

    @TempDir
    static Path data;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void thePageFollowsTheClusterAsRequestsAreServed() throws Exception {
        Optional<String> missing = missingBrowser();
        if (missing.isPresent()) {
            boolean required = "1".equals(System.getenv("TRIMS_REQUIRE_BROWSER"));
            assertTrue(!required, "TRIMS_REQUIRE_BROWSER=1 but " + missing.get());
            Assumptions.abort(missing.get() + "; set TRIMS_REQUIRE_BROWSER=1 to fail instead");
        }
        long began = System.nanoTime();
        try (EmbeddedCluster cluster = TestClusters.start(data, Map.of(
                "TRIMS_AGENTS", "2",
                "TRIMS_SERVICES_INSTANCES", "2",
                "TRIMS_DEMO", "false"))) {
            System.out.printf("live page test: cluster up after %.1f s%n", (System.nanoTime() - began) / 1e9);
            upload(cluster, "tiny", OnnxModels.matMulAdd(8, 4, 1));
            upload(cluster, "relu", OnnxModels.relu(4));
            Path screenshot = "1".equals(System.getenv("TRIMS_UPDATE_SCREENSHOT"))
                    ? Path.of("../../docs/live-page.png").toAbsolutePath().normalize()
                    : Path.of("target/live-page.png").toAbsolutePath();
            Files.deleteIfExists(screenshot);

            Process browser = new ProcessBuilder("node", SCRIPT.toString(), cluster.url() + "/",
                    screenshot.toString(), "tiny:1", "agent-1", "agent-2")
                    .directory(BROWSER_TEST.toFile()).redirectErrorStream(true).start();
            List<String> said = new CopyOnWriteArrayList<>();
            CountDownLatch pageReady = new CountDownLatch(1);
            Thread reader = new Thread(() -> read(browser, said, pageReady), "live-page-browser-output");
            reader.start();
            try {
                if (!pageReady.await(PAGE_OPEN.toSeconds(), TimeUnit.SECONDS)) {
                    fail("the page did not list both agents within " + PAGE_OPEN + ": " + String.join("\n", said));
                }
                System.out.printf("live page test: page open after %.1f s%n", (System.nanoTime() - began) / 1e9);
                AtomicInteger sent = new AtomicInteger();
                List<String> refused = new CopyOnWriteArrayList<>();
                Thread requests = new Thread(() -> sendWhileOpen(cluster, browser, sent, refused), "live-page-requests");
                requests.start();
                if (!browser.waitFor(BROWSER_DONE.toSeconds(), TimeUnit.SECONDS)) {
                    fail("the browser check did not finish within " + BROWSER_DONE + ": " + String.join("\n", said));
                }
                requests.join(TimeUnit.SECONDS.toMillis(30));
                reader.join(TimeUnit.SECONDS.toMillis(5));
                String output = String.join("\n", said);
                System.out.printf("live page test: browser done after %.1f s, %d requests sent%n",
                        (System.nanoTime() - began) / 1e9, sent.get());
                assertEquals(0, browser.exitValue(), output);
                assertTrue(said.stream().anyMatch(line -> line.startsWith("PASS ")), output);
                assertTrue(refused.isEmpty(), "every request was served: " + refused);
                assertTrue(sent.get() > 0);
                assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the page was saved at " + screenshot);
                assertServedAsJson(cluster, sent.get());
            } finally {
                browser.destroyForcibly();
            }
        }
    }

    /** What the page showed, as /v1/cluster has it: the model READY in a cpu tier and every request logged. */
    private static void assertServedAsJson(EmbeddedCluster cluster, int sent) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(cluster.url() + "/v1/cluster"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        JsonObject state = new JsonObject(answer.body());
        assertEquals(List.of("agent-1", "agent-2"), state.getJsonArray("hosts").stream()
                .map(h -> ((JsonObject) h).getString("host")).toList());
        assertTrue(state.getJsonArray("residencies").stream().map(r -> (JsonObject) r)
                .anyMatch(r -> r.getString("model").equals("tiny") && r.getString("tier").equals("cpu")
                        && r.getString("state").equals("ready")), answer.body());
        long logged = state.getJsonArray("requests").stream().map(r -> (JsonObject) r)
                .filter(r -> r.getInteger("status") == 200).count();
        assertEquals(Math.min(sent, 200), logged, "the request log holds every answered request, up to its size");
    }

    /** Infer requests, alternating two models, ten a second, until the browser check ends (60 s at most). */
    private static void sendWhileOpen(EmbeddedCluster cluster, Process browser, AtomicInteger sent,
                                      List<String> refused) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            for (int i = 0; browser.isAlive() && System.nanoTime() < deadline; i++) {
                boolean tiny = i % 3 != 2;
                HttpResponse<String> answer = http.send(infer(cluster, tiny ? "tiny" : "relu", tiny ? 8 : 4, i),
                        HttpResponse.BodyHandlers.ofString());
                sent.incrementAndGet();
                if (answer.statusCode() != 200) {
                    refused.add(answer.statusCode() + " " + answer.body());
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            refused.add(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpRequest infer(EmbeddedCluster cluster, String model, int width, int seed) {
        int rows = 1 + seed % 4;
        JsonArray x = new JsonArray();
        for (int i = 0; i < rows * width; i++) {
            x.add((i + seed) % 5 * 0.5 - 1);
        }
        JsonObject body = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "X")
                .put("datatype", "FP32").put("shape", new JsonArray().add(rows).add(width)).put("data", x)));
        return HttpRequest.newBuilder(URI.create(cluster.url() + "/v2/models/" + model + "/infer"))
                .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
    }

    private static void upload(EmbeddedCluster cluster, String name, byte[] model) throws Exception {
        HttpResponse<String> uploaded = http.send(HttpRequest.newBuilder(
                        URI.create(cluster.url() + "/v1/models/" + name + "/versions/1"))
                .header("content-type", "application/octet-stream").timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + cluster.adminKey()).PUT(HttpRequest.BodyPublishers.ofByteArray(model)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, uploaded.statusCode(), uploaded.body());
    }

    private static void read(Process browser, List<String> said, CountDownLatch pageReady) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                said.add(line);
                if (line.equals("PAGE-READY")) {
                    pageReady.countDown();
                }
            }
        } catch (IOException e) {
            said.add("(output unreadable: " + e + ")");
        }
    }

    /** Why the browser check cannot run here, if it cannot. */
    private static Optional<String> missingBrowser() {
        if (!Files.isExecutable(CHROMIUM)) {
            return Optional.of(CHROMIUM + " is missing (apt-get install chromium)");
        }
        if (!Files.isDirectory(BROWSER_TEST.resolve("node_modules/playwright-core"))) {
            return Optional.of("playwright-core is not installed (npm ci in " + BROWSER_TEST + ")");
        }
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (!node.waitFor(20, TimeUnit.SECONDS) || node.exitValue() != 0) {
                node.destroyForcibly();
                return Optional.of("node does not run");
            }
        } catch (IOException e) {
            return Optional.of("node is not on the PATH (apt-get install nodejs)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while looking for node");
        }
        return Optional.empty();
    }
}
