package io.trims.agent.residency;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.LruPolicy;
import io.trims.runtime.onnx.OnnxCpuRuntime;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.trims.testmodels.OnnxModels;
import io.trims.agent.testing.TestCluster;
import io.trims.agent.tier.CpuTier;
import io.trims.agent.tier.DiskTier;
import io.trims.agent.tier.TierException;
import io.trims.directory.DirectorySnapshot;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import static io.trims.agent.testing.TestCluster.await;
import static io.trims.agent.testing.TestCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelResidencyTest extends ResidencyFixture {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<ModelResidency> started = new ArrayList<>();

    @AfterEach
    void stopResidencies() throws Exception {
        for (ModelResidency r : started) {
            await(r.stop());
        }
    }

    /** A started residency manager whose CPU tier holds {@code cpuModels} models and disk tier {@code diskModels}. */
    private ModelResidency residency(int cpuModels, int diskModels) throws Exception {
        String host = "host-" + UUID.randomUUID().toString().substring(0, 8);
        DiskTier disk = new DiskTier(cacheDir, diskModels * modelBytes, new LruPolicy(Ticker.system()), Ticker.system());
        CpuTier cpu = new CpuTier(cpuModels * modelBytes, new LruPolicy(Ticker.system()), new OnnxCpuRuntime(1), Ticker.system());
        ModelResidency r = new ModelResidency(vertx, host, cluster.directory(), cluster.store(), disk, cpu,
                new AgentMetrics(registry, host), 4);
        await(r.start("http://127.0.0.1:1"));
        started.add(r);
        return r;
    }

    private static ModelRecord model(String name, long seed) throws Exception {
        return cluster.registerMatMulAdd(name + "-" + UUID.randomUUID().toString().substring(0, 6), "1", IN, OUT, seed);
    }

    private static void use(ModelResidency r, ModelRecord m) throws Exception {
        try (Served s = await(r.acquire(m))) {
            assertEquals(m.id(), s.record().id());
        }
    }

    private static Map<String, Residency> residencies(String host, ModelId id) {
        DirectorySnapshot snapshot = cluster.directory().snapshot();
        Map<String, Residency> byTier = new java.util.HashMap<>();
        snapshot.residencies().stream().filter(x -> x.host().equals(host) && x.modelId().equals(id))
                .forEach(x -> byTier.put(x.tier().label(), x));
        return byTier;
    }

    @Test
    void aCorruptedObjectIsRefusedNotCachedAndTheTempFileIsGone() throws Exception {
        ModelResidency r = residency(2, 4);
        byte[] good = OnnxModels.matMulAdd(IN, OUT, 1);
        byte[] corrupted = good.clone();
        corrupted[corrupted.length - 1] ^= 0x55;
        String name = "corrupt-" + UUID.randomUUID().toString().substring(0, 6);
        ModelRecord m = cluster.register(name, "1", corrupted, TestCluster.sha256(good), List.of(), List.of());

        ExecutionException e = assertThrows(ExecutionException.class, () -> await(r.acquire(m.id())));
        TierException cause = assertInstanceOf(TierException.class, e.getCause());
        assertEquals(TierException.Kind.CORRUPT_COPY, cause.kind());
        assertTrue(cause.getMessage().contains("sha256") && cause.getMessage().contains("not cached"), cause.getMessage());
        assertFalse(r.diskTier().contains(m.id()));
        assertEquals(0, r.diskTier().usedBytes());
        try (Stream<Path> files = Files.list(cacheDir)) {
            assertEquals(List.of(), files.toList(), "neither the temp file nor a cached copy is left");
        }
        assertTrue(residencies(r.host(), m.id()).isEmpty());
    }

    @Test
    void failedFetchesAreCountedByReason() throws Exception {
        ModelResidency r = residency(2, 4);
        byte[] good = OnnxModels.matMulAdd(IN, OUT, 1);
        byte[] corrupted = good.clone();
        corrupted[corrupted.length - 1] ^= 0x55;
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        ModelRecord corrupt = cluster.register("corrupt-" + suffix, "1", corrupted, TestCluster.sha256(good),
                List.of(), List.of());
        ModelRecord gone = cluster.registerMatMulAdd("gone-" + suffix, "1", IN, OUT, 2);
        cluster.store().delete(gone.objectKey());

        assertThrows(ExecutionException.class, () -> await(r.acquire(corrupt.id())));
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(r.acquire(gone.id())));
        assertEquals(TierException.Kind.NOT_IN_STORE, assertInstanceOf(TierException.class, e.getCause()).kind());

        assertEquals(1.0, fetchFailures(r, "corrupt"));
        assertEquals(1.0, fetchFailures(r, "missing"));
        assertEquals(0.0, fetchFailures(r, "error"));
    }

    private double fetchFailures(ModelResidency r, String reason) {
        return registry.get("trims.fetch.failures").tags("host", r.host(), "reason", reason).counter().count();
    }

    @Test
    void theLeastRecentlyUsedModelIsDemotedToDiskAndTheDirectorySaysSo() throws Exception {
        ModelResidency r = residency(2, 8);
        ModelRecord a = model("a", 1);
        ModelRecord b = model("b", 2);
        ModelRecord c = model("c", 3);
        use(r, a);
        use(r, b);
        use(r, a);
        use(r, c);

        assertTrue(r.cpuTier().contains(a.id()));
        assertFalse(r.cpuTier().contains(b.id()));
        assertTrue(r.cpuTier().contains(c.id()));
        assertTrue(r.diskTier().contains(b.id()), "the demoted model stays on disk");
        Map<String, Residency> ofB = residencies(r.host(), b.id());
        assertEquals(Set.of("disk"), ofB.keySet());
        assertEquals(ResidencyState.READY, ofB.get("disk").state());
        assertEquals(modelBytes, ofB.get("disk").bytes());
        assertEquals(Set.of("cpu", "disk"), residencies(r.host(), a.id()).keySet());

        try (Served again = await(r.acquire(b))) {
            assertEquals(Origin.DISK, again.origin());
        }
        assertEquals(1.0, registry.get("trims.loads").tags("host", r.host(), "source", "disk").counter().count());
        assertEquals(3.0, registry.get("trims.loads").tags("host", r.host(), "source", "remote").counter().count());
        assertEquals(2.0, registry.get("trims.evictions").tags("host", r.host(), "tier", "cpu").counter().count());
    }

    @Test
    void aModelInUseIsNotEvictedAndOneBiggerThanTheTierGetsAClearError() throws Exception {
        ModelResidency r = residency(1, 8);
        ModelRecord a = model("a", 1);
        ModelRecord b = model("b", 2);
        try (Served inUse = await(r.acquire(a))) {
            ExecutionException busy = assertThrows(ExecutionException.class, () -> await(r.acquire(b)));
            assertEquals(TierException.Kind.BUSY, assertInstanceOf(TierException.class, busy.getCause()).kind());
            assertTrue(r.cpuTier().contains(a.id()));
            float[] y = (float[]) inUse.run(Map.of("X", new Tensor("X", DataType.FP32, new long[]{1, IN}, new float[IN])),
                    Set.of()).get(0).data();
            assertArrayEquals(OnnxModels.MatMulAdd.of(IN, OUT, 1).apply(new float[IN]), y, 1e-5f);
        }
        use(r, b);
        assertFalse(r.cpuTier().contains(a.id()));

        ModelRecord big = cluster.registerMatMulAdd("big-" + UUID.randomUUID().toString().substring(0, 6), "1", 64, 64, 5);
        ExecutionException tooBig = assertThrows(ExecutionException.class, () -> await(r.acquire(big)));
        TierException cause = assertInstanceOf(TierException.class, tooBig.getCause());
        assertEquals(TierException.Kind.TOO_BIG, cause.kind());
        assertEquals("model " + big.id() + " needs " + big.sizeBytes() + " bytes, the cpu tier holds at most " + modelBytes,
                cause.getMessage());
        assertTrue(r.cpuTier().contains(b.id()), "no eviction storm for a model that can never fit");
    }

    @Test
    void concurrentMissesShareOneFetchAndOneSession() throws Exception {
        ModelResidency r = residency(2, 4);
        ModelRecord m = model("popular", 7);
        List<Future<Served>> requests = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            requests.add(r.acquire(m.id()));
        }
        List<Served> served = new ArrayList<>();
        for (Future<Served> f : requests) {
            served.add(await(f));
        }
        assertEquals(32, r.inFlight());
        assertEquals(Origin.REMOTE, served.get(0).origin());
        // A request that arrives between the fetch and the session finding the model on disk is a disk hit.
        assertTrue(served.stream().noneMatch(s -> s.origin() == Origin.GPU),
                "each request found the model where it was when it arrived: remote, disk or cpu");
        assertEquals(1, r.metrics().fetches());
        assertEquals(1, r.cpuTier().sessionsCreated());
        assertEquals(1.0, registry.get("trims.loads").tags("host", r.host(), "source", "remote").counter().count());
        served.forEach(Served::close);
        assertEquals(0, r.inFlight());
        eventually(2000, "in-flight 0 published", () -> cluster.directory().host(r.host()).orElseThrow().inFlight() == 0);
    }

    @Test
    void residenciesAndTheHostArePublishedAndVanishOnStop() throws Exception {
        ModelResidency r = residency(2, 4);
        ModelRecord m = model("published", 3);
        try (Served s = await(r.acquire(m))) {
            assertEquals(Origin.REMOTE, s.origin());
            eventually(2000, "in-flight 1 published", () -> cluster.directory().host(r.host()).orElseThrow().inFlight() == 1);
        }
        Map<String, Residency> held = residencies(r.host(), m.id());
        assertEquals(Set.of("cpu", "disk"), held.keySet());
        for (Residency x : held.values()) {
            assertEquals(ResidencyState.READY, x.state());
            assertEquals(modelBytes, x.bytes());
        }
        var host = cluster.directory().host(r.host()).orElseThrow();
        assertEquals(modelBytes, host.cpu().usedBytes());
        assertEquals(2 * modelBytes, host.cpu().capacityBytes());
        assertEquals(modelBytes, host.disk().usedBytes());
        assertFalse(host.hasGpu());

        await(r.stop());
        started.remove(r);
        assertTrue(cluster.directory().host(r.host()).isEmpty());
        assertTrue(registry.find("trims.tier.used.bytes").tag("host", r.host()).meters().isEmpty(),
                "a stopped host's meters are removed");
        assertTrue(residencies(r.host(), m.id()).isEmpty());
    }

    @Test
    void aModelTheRegistryDeletesIsEvictedFromEveryTier() throws Exception {
        ModelResidency r = residency(2, 4);
        ModelRecord m = model("doomed", 4);
        use(r, m);
        cluster.directory().removeModel(m.id());
        eventually(3000, "evicted from cpu and disk", () -> !r.cpuTier().contains(m.id()) && !r.diskTier().contains(m.id()));
        eventually(3000, "residencies removed", () -> residencies(r.host(), m.id()).isEmpty());
        try (Stream<Path> files = Files.list(cacheDir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aDeletedModelInUseGoesWhenItsLastRequestEnds() throws Exception {
        ModelResidency r = residency(2, 4);
        ModelRecord m = model("busy", 9);
        Served inUse = await(r.acquire(m));
        cluster.directory().removeModel(m.id());
        eventually(3000, "gone from disk", () -> !r.diskTier().contains(m.id()));
        assertEquals(1, r.cpuTier().residents().size(), "the session in use stays until released");
        assertEquals(1, inUse.run(Map.of("X", new Tensor("X", DataType.FP32, new long[]{1, IN}, new float[IN])), Set.of()).size());
        inUse.close();
        assertTrue(r.cpuTier().residents().isEmpty());
        eventually(3000, "residencies removed", () -> residencies(r.host(), m.id()).isEmpty());
    }

    @Test
    void aCacheFromAnEarlierRunIsPublishedAndServedFromDisk() throws Exception {
        ModelRecord m = model("kept", 6);
        ModelResidency first = residency(2, 4);
        use(first, m);
        await(first.stop());
        started.remove(first);

        ModelResidency second = residency(2, 4);
        assertEquals(ResidencyState.READY, residencies(second.host(), m.id()).get("disk").state());
        try (Served s = await(second.acquire(m))) {
            assertEquals(Origin.DISK, s.origin());
        }
        assertEquals(0, second.metrics().fetches());
    }

    @Test
    void metricsHaveThePrometheusNamesTheDashboardsUse() throws Exception {
        ModelResidency r = residency(2, 4);
        ModelRecord m = model("measured", 8);
        try (Served s = await(r.acquire(m))) {
            s.run(Map.of("X", new Tensor("X", DataType.FP32, new long[]{1, IN}, new float[IN])), Set.of());
        }
        use(r, m);
        String scrape = registry.scrape();
        for (String name : List.of("trims_tier_hits_total", "trims_tier_misses_total", "trims_loads_total",
                "trims_load_duration_seconds_bucket", "trims_tier_used_bytes", "trims_tier_capacity_bytes",
                "trims_fetch_bytes_total", "trims_fetch_duration_seconds_count", "trims_inference_duration_seconds_count")) {
            assertTrue(scrape.contains(name + "{"), name + " in\n" + scrape);
        }
        assertEquals(1.0, registry.get("trims.tier.hits").tags("host", r.host(), "tier", "cpu").counter().count());
        assertEquals(1.0, registry.get("trims.tier.misses").tags("host", r.host(), "tier", "disk").counter().count());
        assertEquals((double) modelBytes, registry.get("trims.fetch.bytes").tags("host", r.host()).counter().count());
    }
}
