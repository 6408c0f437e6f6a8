package io.trims.agent;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trims.agent.tier.FetchRetry;
import io.trims.agent.testing.FaultyProxy;
import io.trims.agent.testing.TestCluster;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;
import io.trims.objectstore.MinioObjectStore;
import io.trims.objectstore.StoreTimeouts;
import io.trims.testmodels.OnnxModels;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.trims.directory.RecordSigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static io.trims.agent.testing.TestCluster.await;
import static io.trims.agent.testing.TestCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real agent whose object store (a real in-process S3 server) sits behind a {@link FaultyProxy} that refuses,
 * stalls and cuts: requests fail fast with a 503 naming the store, resident models keep serving, cut downloads are
 * tried again, damaged cached files are caught on load and fetched again, and an agent starts without its store.
 */
class StoreFaultsTest {

    private static final int IN = 256;
    private static final int OUT = 64;
    /** Mid-body of a 64 KiB model's response. */
    private static final long MID_BODY = 16 * 1024;
    private static final long READ_TIMEOUT_MS = 1_000;
    private static final StoreTimeouts TIMEOUTS = new StoreTimeouts(500, READ_TIMEOUT_MS, READ_TIMEOUT_MS, 0);
    private static final StoreSettings STORE = new StoreSettings(new FetchRetry(2, 100), 200);
    private static final float[] X = row();

    @TempDir
    static Path dir;

    private static TestCluster cluster;
    private static FaultyProxy proxy;
    private static MinioObjectStore store;
    private static Vertx vertx;
    private static Agent agent;
    private static final String AGENT_KEY = RecordSigner.thisRun().agentKey();
    private static WebClient client;
    private static final PrometheusMeterRegistry REGISTRY = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @BeforeAll
    static void start() throws Exception {
        cluster = new TestCluster(dir.resolve("s3"));
        proxy = new FaultyProxy(URI.create(cluster.store().endpoint()).getPort());
        store = open();
        vertx = Vertx.vertx();
        agent = await(Agent.start(vertx, config("faults-agent", dir.resolve("cache")), cluster.directory(), store, REGISTRY));
        client = WebClient.create(vertx);
    }

    @AfterEach
    void heal() throws IOException {
        proxy.pass();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        await(agent.stop());
        await(vertx.close());
        store.close();
        proxy.close();
        cluster.close();
    }

    @Test
    void aRefusingStoreIsAQuick503NamingItAndServiceResumesWhenItReturns() throws Exception {
        String name = register();
        proxy.refuse();
        long start = System.nanoTime();
        HttpResponse<Buffer> refused = infer(agent, name);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, refused.statusCode(), refused.bodyAsString());
        assertTrue(refused.bodyAsString().contains("object store at " + proxy.endpoint() + " is unavailable"),
                refused.bodyAsString());
        assertTrue(millis < 3_000, "answered in " + millis + " ms");

        proxy.pass();
        assertServed(infer(agent, name), "remote", name);
    }

    @Test
    void aStalledStoreIsA503WithinItsReadTimeoutAndLeavesNoPartialFile() throws Exception {
        String name = register();
        proxy.stallAfter(MID_BODY);
        long start = System.nanoTime();
        HttpResponse<Buffer> stalled = infer(agent, name);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, stalled.statusCode(), stalled.bodyAsString());
        assertTrue(stalled.bodyAsString().contains("object store"), stalled.bodyAsString());
        // Two tries, each abandoned after the read timeout, and one backoff between them.
        assertTrue(millis >= 2 * READ_TIMEOUT_MS && millis < 2 * READ_TIMEOUT_MS + 3_000, "answered in " + millis + " ms");
        assertEquals(List.of(), partialFiles(agent));
        assertTrue(cluster.directory().snapshot().holders(model(name).id()).stream()
                .noneMatch(r -> r.host().equals(agent.host())), "no record of the abandoned copy");
    }

    @Test
    void aDownloadCutMidwayIsTriedAgainAndSucceeds() throws Exception {
        String name = register();
        proxy.cutAfter(MID_BODY, 1);
        assertServed(infer(agent, name), "remote", name);
        assertEquals(1, proxy.cuts());
        assertEquals(List.of(), partialFiles(agent));
    }

    @Test
    void aResidentModelKeepsServingWhileTheStoreIsDown() throws Exception {
        String name = register();
        assertServed(infer(agent, name), "remote", name);
        proxy.refuse();
        eventually(5_000, "readiness reports the store unreachable", () -> !storeReachable(agent));
        for (int i = 0; i < 5; i++) {
            assertServed(infer(agent, name), "cpu", name);
        }
        proxy.pass();
        eventually(5_000, "readiness reports the store back", () -> storeReachable(agent));
    }

    @Test
    void aCachedFileDamagedAfterItWasLoadedIsCaughtOnTheNextLoadAndFetchedAgain() throws Exception {
        String name = register();
        assertServed(infer(agent, name), "remote", name);
        Path file = demoteToDisk(agent, name);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(16);
            channel.read(b, channel.size() / 2);
            for (int i = 0; i < 16; i++) {
                b.put(i, (byte) ~b.get(i));
            }
            b.rewind();
            channel.write(b, channel.size() / 2);
        }
        long corrupt = agent.residency().diskTier().corruptCopies();

        assertServed(infer(agent, name), "remote", name);
        assertEquals(corrupt + 1, agent.residency().diskTier().corruptCopies());
        assertTrue(REGISTRY.scrape().contains("trims_disk_copies_corrupt_total{host=\"faults-agent\"}"));
        assertTrue(readyOnDisk(name), "the refetched copy is READY on disk again");
    }

    @Test
    void aCachedFileCutShortIsCaughtOnTheNextLoadAndFetchedAgain() throws Exception {
        String name = register();
        assertServed(infer(agent, name), "remote", name);
        Path file = demoteToDisk(agent, name);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }
        assertServed(infer(agent, name), "remote", name);
        assertEquals(OnnxModels.matMulAdd(IN, OUT, 1).length, Files.size(file), "the cached file is whole again");
        assertTrue(readyOnDisk(name));
    }

    @Test
    void aModelBiggerThanTheDiskBudgetIs507WithNoPartialFileAndOthersStayServed() throws Exception {
        String small = register();
        assertServed(infer(agent, small), "remote", small);
        // 1024 x 512 FP32 weights: 2 MiB, over the 1 MiB disk budget and under the CPU budget.
        String big = "big-" + UUID.randomUUID().toString().substring(0, 6);
        cluster.registerMatMulAdd(big, "1", 1024, 512, 3);
        HttpResponse<Buffer> refused = await(client.postAbs(agent.endpoint() + "/v2/models/" + big + "/infer")
                .putHeader(RecordSigner.AGENT_KEY_HEADER, AGENT_KEY)
                .sendJsonObject(body(new float[1024])));
        assertEquals(507, refused.statusCode(), refused.bodyAsString());
        assertTrue(refused.bodyAsString().contains("disk tier"), refused.bodyAsString());
        assertEquals(List.of(), partialFiles(agent));
        assertServed(infer(agent, small), "cpu", small);
    }

    @Test
    void anAgentStartsWithoutItsStoreAndServesItsVerifiedDiskCache() throws Exception {
        String cached = register();
        String uncached = register();
        Path cache = dir.resolve("cache-cold");
        Agent first = await(Agent.start(vertx, config("cold-1", cache), cluster.directory(), store, REGISTRY));
        try {
            assertServed(infer(first, cached), "remote", cached);
        } finally {
            await(first.stop());
        }

        proxy.refuse();
        try (MinioObjectStore down = open()) {
            Agent second = await(Agent.start(vertx, config("cold-2", cache), cluster.directory(), down, REGISTRY));
            try {
                eventually(5_000, "readiness reports the store unreachable", () -> {
                    JsonObject ready = readiness(second);
                    return ready.getBoolean("ready") && !ready.getJsonObject("object_store").getBoolean("reachable");
                });
                assertServed(infer(second, cached), "disk", cached);
                HttpResponse<Buffer> missing = infer(second, uncached);
                assertEquals(503, missing.statusCode(), missing.bodyAsString());
                assertTrue(missing.bodyAsString().contains("object store"), missing.bodyAsString());

                proxy.pass();
                eventually(5_000, "readiness reports the store back", () -> storeReachable(second));
                assertServed(infer(second, uncached), "remote", uncached);
            } finally {
                await(second.stop());
            }
        }
    }

    private static AgentConfig config(String host, Path cache) {
        // CPU 4 MiB, disk 1 MiB: room for every 64 KiB model here, not for the 2 MiB one.
        return AgentConfig.local(host, cache, 4L << 20, 1L << 20).withStore(STORE);
    }

    private static MinioObjectStore open() throws IOException {
        return MinioObjectStore.open(proxy.endpoint(), "trims", "trims-secret", cluster.store().bucket(), TIMEOUTS, null);
    }

    /** Registers a 64 KiB MatMul-Add model (seed 1) straight in the store, not through the proxy. */
    private static String register() throws Exception {
        String name = "mm-" + UUID.randomUUID().toString().substring(0, 8);
        cluster.registerMatMulAdd(name, "1", IN, OUT, 1);
        return name;
    }

    private static ModelRecord model(String name) {
        return cluster.directory().model(new ModelId(name, "1")).orElseThrow();
    }

    private static HttpResponse<Buffer> infer(Agent target, String name) throws Exception {
        return await(client.postAbs(target.endpoint() + "/v2/models/" + name + "/infer")
                .putHeader(RecordSigner.AGENT_KEY_HEADER, AGENT_KEY).sendJsonObject(body(X)));
    }

    private static void assertServed(HttpResponse<Buffer> response, String tier, String name) {
        assertEquals(200, response.statusCode(), response.bodyAsString());
        assertEquals(tier, response.getHeader("trims-tier"), name);
        float[] expected = OnnxModels.MatMulAdd.of(IN, OUT, 1).apply(X);
        JsonArray data = response.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0).getJsonArray("data");
        assertEquals(expected.length, data.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], data.getFloat(i), 1e-3f, "element " + i);
        }
    }

    /** Demotes the model from the CPU tier; its file stays on disk. */
    private static Path demoteToDisk(Agent target, String name) throws IOException {
        assertTrue(target.residency().cpuTier().evict(model(name).id()));
        try (Stream<Path> files = Files.list(target.residency().diskTier().directory())) {
            return files.filter(f -> f.getFileName().toString().startsWith(name)).findFirst().orElseThrow();
        }
    }

    private static boolean readyOnDisk(String name) {
        return cluster.directory().snapshot().holders(model(name).id()).stream().anyMatch(r -> r.host().equals(agent.host())
                && r.tier() == TierLevel.DISK && r.state() == ResidencyState.READY);
    }

    private static List<String> partialFiles(Agent target) throws IOException {
        try (Stream<Path> files = Files.list(target.residency().diskTier().directory())) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".part")).toList();
        }
    }

    private static JsonObject readiness(Agent target) {
        try {
            return await(client.getAbs(target.endpoint() + "/v2/health/ready").send()).bodyAsJsonObject();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static boolean storeReachable(Agent target) {
        return readiness(target).getJsonObject("object_store").getBoolean("reachable");
    }

    private static JsonObject body(float[] x) {
        JsonArray data = new JsonArray();
        for (float v : x) {
            data.add(v);
        }
        return new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "X")
                .put("datatype", "FP32").put("shape", new JsonArray().add(1).add(x.length)).put("data", data)));
    }

    private static float[] row() {
        float[] x = new float[IN];
        for (int i = 0; i < IN; i++) {
            x[i] = (i % 7) * 0.25f - 0.5f;
        }
        return x;
    }
}
