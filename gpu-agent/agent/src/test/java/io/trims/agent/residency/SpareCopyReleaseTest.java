package io.trims.agent.residency;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trims.agent.tier.CpuTier;
import io.trims.agent.tier.DiskTier;
import io.trims.directory.DirectoryListener;
import io.trims.directory.ModelRecord;
import io.trims.directory.TierLevel;
import io.trims.directory.Residency;
import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.LruPolicy;
import io.trims.runtime.onnx.OnnxCpuRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.trims.agent.testing.TestCluster.await;
import static io.trims.agent.testing.TestCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two hosts holding the same model: once it idles, the one whose name sorts later gives its CPU copy back. */
class SpareCopyReleaseTest extends ResidencyFixture {

    private static final long IDLE_MS = 400;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<ModelResidency> started = new ArrayList<>();
    private final List<ClusterCopies> following = new ArrayList<>();

    @AfterEach
    void stopHosts() throws Exception {
        for (ModelResidency r : started) {
            await(r.stop());
        }
        following.forEach(ClusterCopies::close);
    }

    /** A started host named {@code prefix-<random>}, giving back spare copies idle for {@link #IDLE_MS}. */
    private ModelResidency host(String prefix) throws Exception {
        String host = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        DiskTier disk = new DiskTier(Files.createDirectory(cacheDir.resolve(host)), 4 * modelBytes,
                new LruPolicy(Ticker.system()), Ticker.system());
        CpuTier cpu = new CpuTier(4 * modelBytes, new LruPolicy(Ticker.system()), new OnnxCpuRuntime(1),
                Ticker.system());
        ModelResidency r = new ModelResidency(vertx, host, cluster.directory(), cluster.store(), disk, cpu,
                new AgentMetrics(registry, host), 2);
        ClusterCopies copies = ClusterCopies.open(cluster.directory(), host);
        following.add(copies);
        r.giveBackSpareCopies(copies, IDLE_MS);
        await(r.start("http://127.0.0.1:1"));
        started.add(r);
        return r;
    }

    private static void use(ModelResidency r, ModelRecord m) throws Exception {
        await(r.acquire(m)).close();
    }

    private static Set<String> tiersHolding(ModelResidency r, ModelRecord m) {
        return cluster.directory().snapshot().residencies().stream()
                .filter(x -> x.host().equals(r.host()) && x.modelId().equals(m.id()))
                .map(Residency::tier).map(t -> t.label()).collect(Collectors.toSet());
    }

    private Counter dropped(ModelResidency r) {
        return registry.find("trims.spare.copies.dropped").tags("host", r.host(), "tier", "cpu").counter();
    }

    @Test
    void theLaterHostGivesItsIdleCopyBackAndTheFirstKeepsItsOwnAndEveryLastCopy() throws Exception {
        ModelResidency first = host("a");
        ModelResidency later = host("b");
        ModelRecord shared = cluster.registerMatMulAdd("shared-" + UUID.randomUUID().toString().substring(0, 6), "1",
                IN, OUT, 1);
        ModelRecord onlyLater = cluster.registerMatMulAdd("only-b-" + UUID.randomUUID().toString().substring(0, 6),
                "1", IN, OUT, 2);
        List<String> laterCopy = new CopyOnWriteArrayList<>();
        AutoCloseable watching = cluster.directory().listen(new DirectoryListener() {
            @Override
            public void residencyChanged(Residency r) {
                if (r.host().equals(later.host()) && r.modelId().equals(shared.id()) && r.tier() == TierLevel.CPU) {
                    laterCopy.add(r.state().name());
                }
            }

            @Override
            public void residencyRemoved(Residency r) {
                if (r.host().equals(later.host()) && r.modelId().equals(shared.id()) && r.tier() == TierLevel.CPU) {
                    laterCopy.add("removed");
                }
            }
        });
        use(first, shared);
        use(later, shared);
        use(later, onlyLater);
        assertTrue(later.cpuTier().contains(shared.id()), "not idle yet");

        eventually(5_000, "the later host's spare copy given back", () -> !later.cpuTier().contains(shared.id()));
        eventually(5_000, "the directory hears of the removal", () -> laterCopy.contains("removed"));
        watching.close();
        assertEquals(List.of("LOADING", "READY", "EVICTING", "removed"), laterCopy,
                "marked for eviction first, so placement sends it nothing more");
        assertEquals(Set.of("disk"), tiersHolding(later, shared), "the directory hears of it; the file stays on disk");
        assertEquals(1.0, dropped(later).count());

        Thread.sleep(3 * IDLE_MS);
        assertTrue(first.cpuTier().contains(shared.id()), "the first host by name keeps the model in memory");
        assertEquals(Set.of("cpu", "disk"), tiersHolding(first, shared));
        assertTrue(later.cpuTier().contains(onlyLater.id()), "a last copy is never spare");
        assertEquals(0.0, dropped(first).count(), "the first host dropped nothing (its counter is there from the start)");
        assertEquals(1.0, dropped(later).count());
        assertEquals(1.0, registry.get("trims.evictions").tags("host", later.host(), "tier", "cpu").counter().count());
    }
}
