package io.trims.agent.api;

import io.trims.directory.RecordSigner;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trims.agent.residency.AgentMetrics;
import io.trims.agent.residency.ModelResidency;
import io.trims.agent.residency.StoreProbe;
import io.trims.agent.admission.AdmissionLimits;
import io.trims.protocol.http.ServerTimeouts;
import io.trims.agent.testing.BookkeepingGpu;
import io.trims.agent.testing.TestCluster;
import io.trims.agent.tier.CpuTier;
import io.trims.agent.tier.DiskTier;
import io.trims.agent.tier.GpuTier;
import io.trims.directory.CatalogueView;
import io.trims.directory.ModelRecord;
import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.LruPolicy;
import io.trims.policy.promotion.PromotionPolicy;
import io.trims.runtime.onnx.OnnxCpuRuntime;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.trims.agent.testing.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readiness of a model the agent holds on the GPU only, over real HTTP with the real directory and object store.
 * This machine has no GPU: the GPU tier runs on the bookkeeping double, which is all readiness looks at.
 */
class ModelReadyTest {

    /** The embedded default's agent key: the test cluster signs with this JVM run's secret. */
    private static final String AGENT_KEY = RecordSigner.thisRun().agentKey();

    private static final String HOST = "ready-agent";

    @TempDir
    static Path dir;

    private static TestCluster cluster;
    private static Vertx vertx;
    private static CatalogueView catalogue;
    private static ModelResidency residency;
    private static AgentHttpVerticle http;
    private static WebClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = new TestCluster(dir.resolve("s3"));
        vertx = Vertx.vertx();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        residency = new ModelResidency(vertx, HOST, cluster.directory(), cluster.store(),
                new DiskTier(dir.resolve("cache"), 1 << 20, new LruPolicy(Ticker.system()), Ticker.system()),
                new CpuTier(1 << 20, new LruPolicy(Ticker.system()), new OnnxCpuRuntime(1), Ticker.system()),
                new GpuTier(1 << 20, new LruPolicy(Ticker.system()), new BookkeepingGpu(name -> 100), Ticker.system()), new PromotionPolicy(2, 60_000),
                new AgentMetrics(registry, HOST), 1);
        catalogue = CatalogueView.open(cluster.directory());
        http = new AgentHttpVerticle("127.0.0.1", 0, 16 * 1024, 1, cluster.directory(), catalogue, residency,
                new StoreProbe(vertx, cluster.store(), 5_000), registry, AdmissionLimits.defaults(),
                ServerTimeouts.defaults());
        await(vertx.deployVerticle(http));
        client = WebClient.create(vertx);
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        await(residency.stop());
        await(vertx.close());
        catalogue.close();
        cluster.close();
    }

    @Test
    void aModelHeldOnlyOnTheGpuIsReady() throws Exception {
        ModelRecord record = cluster.registerMatMulAdd("gpu-only", "1", 4, 3, 1);
        HttpResponse<Buffer> before = ready("/v2/models/gpu-only/ready");
        assertEquals(400, before.statusCode(), before.bodyAsString());
        assertFalse(before.bodyAsJsonObject().getBoolean("ready"));

        GpuTier gpu = residency.gpuTier().orElseThrow();
        gpu.reserve(record.id(), 100);
        gpu.load(record.id(), dir.resolve("gpu-only.onnx"));
        gpu.release(record.id());
        assertFalse(residency.cpuTier().contains(record.id()), "held on the GPU only");

        HttpResponse<Buffer> after = ready("/v2/models/gpu-only/versions/1/ready");
        assertEquals(200, after.statusCode(), after.bodyAsString());
        JsonObject body = after.bodyAsJsonObject();
        assertTrue(body.getBoolean("ready"));
        assertEquals("gpu", body.getString("tier"));
    }

    private static HttpResponse<Buffer> ready(String path) throws Exception {
        return await(client.get(http.actualPort(), "localhost", path)
                .putHeader(RecordSigner.AGENT_KEY_HEADER, AGENT_KEY).send());
    }
}
