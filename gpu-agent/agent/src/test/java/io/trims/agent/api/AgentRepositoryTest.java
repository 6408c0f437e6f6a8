package io.trims.agent.api;

import io.trims.directory.RecordSigner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trims.agent.Agent;
import io.trims.agent.AgentConfig;
import io.trims.agent.residency.Served;
import io.trims.agent.testing.TestCluster;
import io.trims.directory.ModelRecord;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;
import io.trims.policy.eviction.Resident;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.trims.agent.testing.TestCluster.await;
import static io.trims.agent.testing.TestCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's repository endpoints over real HTTP, with the real directory, S3 server and ONNX Runtime: load into
 * the CPU tier without a run, unload from every tier (a held copy only once it is let go), and the queue and
 * compute times an infer answer reports.
 */
class AgentRepositoryTest {

    /** The embedded default's agent key: the test cluster signs with this JVM run's secret. */
    private static final String AGENT_KEY = RecordSigner.thisRun().agentKey();

    private static final int IN = 4;
    private static final int OUT = 3;

    @TempDir
    static Path dir;

    private static TestCluster cluster;
    private static Vertx vertx;
    private static Agent agent;
    private static WebClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = new TestCluster(dir.resolve("s3"));
        vertx = Vertx.vertx();
        AgentConfig config = AgentConfig.local("repo-agent", dir.resolve("cache"), 1 << 20, 8 << 20);
        agent = await(Agent.start(vertx, config, cluster.directory(), cluster.store(), new SimpleMeterRegistry()));
        client = WebClient.create(vertx);
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        await(agent.stop());
        await(vertx.close());
        cluster.close();
    }

    @Test
    void loadBringsTheModelIntoTheCpuTierWithoutARunAndUnloadEmptiesEveryTier() throws Exception {
        ModelRecord record = cluster.registerMatMulAdd("loaded", "1", IN, OUT, 21);
        HttpResponse<Buffer> loaded = post("/v2/repository/models/loaded/load");
        assertEquals(200, loaded.statusCode(), loaded.bodyAsString());
        assertEquals("cpu", loaded.bodyAsJsonObject().getString("tier"));
        assertTrue(agent.residency().cpuTier().contains(record.id()));
        List<Resident> residents = agent.residency().cpuTier().residents().stream()
                .filter(r -> r.id().equals(record.id())).toList();
        assertEquals(0, residents.get(0).uses(), "no request acquired it");
        assertTrue(cluster.directory().snapshot().holders(record.id()).stream()
                .anyMatch(r -> r.tier() == TierLevel.CPU && r.state() == ResidencyState.READY));

        HttpResponse<Buffer> warm = infer("loaded");
        assertEquals(200, warm.statusCode(), warm.bodyAsString());
        assertEquals("cpu", warm.getHeader("trims-tier"));
        assertTrue(Double.parseDouble(warm.getHeader("trims-queue-us")) > 0, warm.headers().toString());
        assertTrue(Double.parseDouble(warm.getHeader("trims-compute-us")) > 0, warm.headers().toString());

        HttpResponse<Buffer> unloaded = post("/v2/repository/models/loaded/versions/1/unload");
        assertEquals(200, unloaded.statusCode(), unloaded.bodyAsString());
        assertEquals(new JsonArray().add("cpu").add("disk"), unloaded.bodyAsJsonObject().getJsonArray("released"));
        assertFalse(agent.residency().cpuTier().contains(record.id()));
        assertFalse(agent.residency().diskTier().contains(record.id()));
        eventually(5_000, "the directory lists no copy",
                () -> cluster.directory().snapshot().holders(record.id()).isEmpty());
        assertTrue(cluster.directory().model(record.id()).isPresent(), "still registered");

        HttpResponse<Buffer> cold = infer("loaded");
        assertEquals(200, cold.statusCode(), cold.bodyAsString());
        assertEquals("remote", cold.getHeader("trims-tier"), "fetched again from object storage");
    }

    @Test
    void aCopyHeldByARequestIsMarkedEvictingAndGoesWhenItIsLetGo() throws Exception {
        ModelRecord record = cluster.registerMatMulAdd("held", "1", IN, OUT, 22);
        Served running = await(agent.residency().acquire(record));
        try {
            HttpResponse<Buffer> unloaded = post("/v2/repository/models/held/unload");
            assertEquals(200, unloaded.statusCode(), unloaded.bodyAsString());
            assertFalse(agent.residency().cpuTier().contains(record.id()), "takes no new requests");
            List<Residency> copies = cluster.directory().snapshot().holders(record.id());
            assertTrue(copies.stream().anyMatch(r -> r.tier() == TierLevel.CPU
                    && r.state() == ResidencyState.EVICTING), copies.toString());
            HttpResponse<Buffer> meanwhile = infer("held");
            assertEquals(503, meanwhile.statusCode(), meanwhile.bodyAsString());
            assertTrue(meanwhile.bodyAsJsonObject().getString("error").contains("still held by requests"),
                    meanwhile.bodyAsString());
        } finally {
            running.close();
        }
        eventually(5_000, "the copy goes once let go", () -> agent.residency().cpuTier().residents().stream()
                .noneMatch(r -> r.id().equals(record.id())));
        eventually(5_000, "and its record", () -> cluster.directory().snapshot().holders(record.id()).isEmpty());
        HttpResponse<Buffer> after = infer("held");
        assertEquals(200, after.statusCode(), after.bodyAsString());
    }

    @Test
    void anUnknownModelIsNotFound() throws Exception {
        assertEquals(404, post("/v2/repository/models/nothing-here/load").statusCode());
        assertEquals(404, post("/v2/repository/models/nothing-here/unload").statusCode());
    }

    private static HttpResponse<Buffer> post(String path) throws Exception {
        return await(client.postAbs(agent.endpoint() + path)
                .putHeader(RecordSigner.AGENT_KEY_HEADER, AGENT_KEY).send());
    }

    private static HttpResponse<Buffer> infer(String model) throws Exception {
        JsonArray data = new JsonArray().add(1).add(2).add(3).add(4);
        JsonObject body = new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "X")
                .put("datatype", "FP32").put("shape", new JsonArray().add(1).add(IN)).put("data", data)));
        return await(client.postAbs(agent.endpoint() + "/v2/models/" + model + "/infer")
                .putHeader(RecordSigner.AGENT_KEY_HEADER, AGENT_KEY).sendJsonObject(body));
    }
}
