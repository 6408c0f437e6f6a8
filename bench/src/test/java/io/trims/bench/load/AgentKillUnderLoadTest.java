package io.trims.bench.load;

import io.trims.bench.cluster.BenchModel;
import io.trims.bench.cluster.BenchSettings;
import io.trims.bench.cluster.Outcome;
import io.trims.bench.cluster.TrimsCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An agent killed with SIGKILL under open-loop load, every part a process of its own: each request in flight to it,
 * or placed on it before the directory noticed, is retried on the other host or answered a clear 503; none waits
 * past the front door's forward timeout; within 5 s the directory names the dead host nowhere; the next request
 * is served by the survivor, which loads the model.
 */
class AgentKillUnderLoadTest {

    private static final long FORWARD_TIMEOUT_MS = 10_000;
    /** 8 MB of weights and 16 rows, about 70 MFLOP a request: a few ms of work in flight, far from overload. */
    private static final int WIDTH = 512;
    private static final int BATCH = 16;
    private static final double RATE = 10;
    private static final double SECONDS = 12;
    private static final long KILL_AFTER_MS = 4_000;
    private static final long DROP_PATIENCE_MS = 5_000;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void inFlightRequestsAreRetriedOrGet503AndTheDeadHostLeavesTheDirectory() throws Exception {
        LoadCluster.Shape shape = new LoadCluster.Shape(2, new BenchSettings.Budgets(256L << 20, 512L << 20),
                Map.of("TRIMS_FORWARD_TIMEOUT_MS", Long.toString(FORWARD_TIMEOUT_MS)));
        try (LoadCluster cluster = LoadCluster.start("kill", shape)) {
            BenchModel model = cluster.write("kill-mlp", WIDTH, 8, 41);
            cluster.register(model);
            byte[] body = LoadCluster.mlpBody(BATCH, WIDTH, 42);
            LoadBench.warm(cluster.frontDoor(), model.name(), body, 5);
            String victim = infer(cluster.frontDoor(), model.name(), body).headers().firstValue("trims-host").orElseThrow();
            int victimIndex = victim.equals(TrimsCluster.agentHost(0)) ? 0 : 1;
            String survivor = TrimsCluster.agentHost(1 - victimIndex);

            CompletableFuture<LoadResult> load = CompletableFuture.supplyAsync(() -> offer(cluster, model, body));
            Thread.sleep(KILL_AFTER_MS);
            long killedAt = System.nanoTime();
            cluster.cluster().agentProcesses().get(victimIndex).kill();
            long droppedAt = awaitGone(cluster.frontDoor(), victim, killedAt);
            LoadResult result = load.get((long) SECONDS + 2 * FORWARD_TIMEOUT_MS / 1000 + 30, TimeUnit.SECONDS);

            HttpResponse<String> next = infer(cluster.frontDoor(), model.name(), body);
            long inFlight = result.outcomes().stream()
                    .filter(o -> o.sent() != 0 && o.sent() < killedAt && (o.done() == 0 || o.done() > killedAt)).count();
            System.out.printf(Locale.ROOT, "SIGKILL of %s under %.0f req/s: %s; %d in flight at the kill; directory "
                            + "dropped it after %.2f s; next request: %d from %s (%s)%n", victim, RATE, result.summary(),
                    inFlight, (droppedAt - killedAt) / 1e9, next.statusCode(),
                    next.headers().firstValue("trims-host").orElse("-"),
                    next.headers().firstValue("trims-tier").orElse("-"));

            assertTrue(droppedAt - killedAt <= TimeUnit.MILLISECONDS.toNanos(DROP_PATIENCE_MS),
                    "the directory still named " + victim + " 5 s after its SIGKILL");
            List<Outcome> unclear = result.outcomes().stream().filter(o -> o.status() != 200 && o.status() != 503).toList();
            assertEquals(List.of(), unclear.stream().map(o -> o.status() + " " + o.error()).distinct().toList(),
                    "every request is answered 200 or 503: " + byStatus(result));
            double longest = result.outcomes().stream().mapToDouble(Outcome::serviceMs).max().orElse(0);
            assertTrue(longest <= FORWARD_TIMEOUT_MS + 2_000, "a request took " + longest
                    + " ms, past the forward timeout of " + FORWARD_TIMEOUT_MS + " ms");
            assertEquals(200, next.statusCode(), next.body());
            assertEquals(survivor, next.headers().firstValue("trims-host").orElse("-"), "the next request's host");
            List<Outcome> afterDrop = result.outcomes().stream().filter(o -> o.sent() > droppedAt).toList();
            assertTrue(afterDrop.stream().allMatch(o -> o.ok() && survivor.equals(o.host())),
                    "after the directory dropped " + victim + " every request is served by " + survivor + ": "
                            + byStatus(new LoadResult(afterDrop, RATE, SECONDS)));
        }
    }

    private static LoadResult offer(LoadCluster cluster, BenchModel model, byte[] body) {
        try {
            return LoadBench.offer(cluster.frontDoor(), model.name(), body, RATE, SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls /v1/cluster until no host or residency names {@code host}; returns when, or fails after the patience. */
    private long awaitGone(String frontDoor, String host, long killedAt) throws Exception {
        long deadline = killedAt + TimeUnit.MILLISECONDS.toNanos(2 * DROP_PATIENCE_MS);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> state = http.send(HttpRequest.newBuilder(URI.create(frontDoor + "/v1/cluster"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonObject cluster = new JsonObject(state.body());
            if (!names(cluster.getJsonArray("hosts"), host) && !names(cluster.getJsonArray("residencies"), host)) {
                return System.nanoTime();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the directory still names " + host + " " + 2 * DROP_PATIENCE_MS / 1000
                + " s after its SIGKILL");
    }

    private static boolean names(JsonArray entries, String host) {
        for (int i = 0; i < entries.size(); i++) {
            if (host.equals(entries.getJsonObject(i).getString("host"))) {
                return true;
            }
        }
        return false;
    }

    private HttpResponse<String> infer(String frontDoor, String model, byte[] body) throws Exception {
        return http.send(LoadBench.infer(frontDoor, model, body), HttpResponse.BodyHandlers.ofString());
    }

    private static String byStatus(LoadResult result) {
        Map<String, Long> counts = result.outcomes().stream().collect(Collectors.groupingBy(
                o -> o.status() + " from " + o.host(), TreeMap::new, Collectors.counting()));
        return counts + ", errors " + result.errors(5);
    }
}
