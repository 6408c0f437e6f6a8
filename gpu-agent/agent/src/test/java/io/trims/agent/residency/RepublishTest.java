package io.trims.agent.residency;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trims.agent.tier.CpuTier;
import io.trims.agent.tier.DiskTier;
import io.trims.directory.HostRecord;
import io.trims.directory.ModelRecord;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;
import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.LruPolicy;
import io.trims.runtime.onnx.OnnxCpuRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.trims.agent.testing.TestCluster.await;
import static io.trims.agent.testing.TestCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Anti-entropy: a host that holds a model in its CPU and disk tiers puts its records back when the directory's
 * maps are cleared, rewrites a host record left under another member's id, and removes a residency under its own
 * name that it never wrote, each within a few republish periods.
 */
class RepublishTest extends ResidencyFixture {

    private static final long HEALED_WITHIN_MS = 3 * ModelResidency.REPUBLISH_MS;

    private ModelResidency residency;
    private ModelRecord model;

    @BeforeEach
    void startHost() throws Exception {
        String host = "host-" + UUID.randomUUID().toString().substring(0, 8);
        residency = new ModelResidency(vertx, host, cluster.directory(), cluster.store(),
                new DiskTier(cacheDir, 4 * modelBytes, new LruPolicy(Ticker.system()), Ticker.system()),
                new CpuTier(4 * modelBytes, new LruPolicy(Ticker.system()), new OnnxCpuRuntime(1), Ticker.system()),
                new AgentMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), host), 2);
        await(residency.start("http://127.0.0.1:1"));
        model = cluster.registerMatMulAdd("republish-" + host, "1", IN, OUT, 3);
        await(residency.acquire(model)).close();
    }

    @AfterEach
    void stopHost() throws Exception {
        await(residency.stop());
    }

    private Set<String> held() {
        return cluster.directory().residencies(residency.host()).stream()
                .map(r -> r.tier().label() + ":" + r.model() + ":" + r.state().label())
                .collect(Collectors.toSet());
    }

    private Set<String> expected() {
        return Set.of("cpu:" + model.name() + ":ready", "disk:" + model.name() + ":ready");
    }

    @Test
    void aClearedDirectoryIsWholeAgainWithinSeconds() throws Exception {
        assertEquals(expected(), held());
        long cleared = System.nanoTime();
        cluster.member().getMap("trims-residencies").clear();
        cluster.member().getMap("trims-hosts").clear();
        cluster.member().getMap("trims-host-stats").clear();
        eventually(HEALED_WITHIN_MS, "host record and residencies back",
                () -> cluster.directory().host(residency.host()).isPresent() && expected().equals(held()));
        System.out.printf("RepublishTest: directory whole again %d ms after the clear%n",
                (System.nanoTime() - cleared) / 1_000_000);
        eventually(HEALED_WITHIN_MS, "statistics back",
                () -> cluster.directory().snapshot().stats().containsKey(residency.host()));
    }

    @Test
    void aResidencyTheHostDoesNotHoldIsRemovedAndAStaleMemberIdRewritten() throws Exception {
        Residency foreign = new Residency(residency.host(), "never-loaded", "7", TierLevel.CPU, ResidencyState.READY,
                1234, System.currentTimeMillis());
        cluster.directory().putResidency(foreign);
        HostRecord now = cluster.directory().host(residency.host()).orElseThrow();
        String gone = UUID.randomUUID().toString();
        cluster.directory().publishHost(new HostRecord(now.host(), gone, now.endpoint(), now.hasGpu(), now.gpu(),
                now.cpu(), now.disk(), now.inFlight(), now.updatedAtMillis()));
        eventually(HEALED_WITHIN_MS, "the foreign residency removed", () -> expected().equals(held()));
        eventually(HEALED_WITHIN_MS, "the host record under the live member's id", () -> {
            Optional<HostRecord> record = cluster.directory().host(residency.host());
            return record.isPresent() && record.get().memberId().equals(cluster.directory().localMemberId());
        });
    }
}
