package io.trims.agent.residency;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.LruPolicy;
import io.trims.policy.eviction.Resident;
import io.trims.runtime.onnx.OnnxCpuRuntime;
import io.trims.agent.testing.TestCluster;
import io.trims.agent.tier.CpuTier;
import io.trims.agent.tier.DiskTier;
import io.trims.directory.ModelRecord;
import io.trims.directory.TierDirectory;
import io.trims.directory.LocalMembers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import static io.trims.agent.testing.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The directory is lost (its Hazelcast member stops) while a load is starting: the directory write fails, and the
 * load must give back every reservation and hold it made, so the tiers do not shrink for good.
 */
class DirectoryLossTest extends ResidencyFixture {

    private HazelcastInstance member;
    private ModelResidency residency;

    /** A residency manager publishing to a member of its own, which a test can stop. */
    @BeforeEach
    void startResidency() throws Exception {
        member = LocalMembers.startAlone("test-" + UUID.randomUUID());
        String host = "host-" + UUID.randomUUID().toString().substring(0, 8);
        residency = new ModelResidency(vertx, host, new TierDirectory(member), cluster.store(),
                new DiskTier(cacheDir, 4 * modelBytes, new LruPolicy(Ticker.system()), Ticker.system()),
                new CpuTier(2 * modelBytes, new LruPolicy(Ticker.system()), new OnnxCpuRuntime(1), Ticker.system()),
                new AgentMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), host), 2);
        await(residency.start("http://127.0.0.1:1"));
    }

    /** Stopping cannot reach the lost directory; the sessions are closed here instead. */
    @AfterEach
    void stopResidency() throws Exception {
        assertThrows(ExecutionException.class, () -> await(residency.stop()));
        residency.cpuTier().close();
    }

    private static ModelRecord model(long seed) throws Exception {
        return cluster.registerMatMulAdd("lost-" + UUID.randomUUID().toString().substring(0, 6), "1", IN, OUT, seed);
    }

    @Test
    void aFetchWhoseLoadingRecordCannotBeWrittenGivesItsDiskReservationBack() throws Exception {
        ModelRecord m = model(1);
        member.shutdown();

        assertThrows(ExecutionException.class, () -> await(residency.acquire(m)));
        assertEquals(0, residency.diskTier().usedBytes());
        assertEquals(0, residency.cpuTier().usedBytes());
        try (Stream<Path> files = Files.list(cacheDir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void aCpuLoadWhoseLoadingRecordCannotBeWrittenGivesItsReservationAndTheFileBack() throws Exception {
        ModelRecord m = model(2);
        await(residency.acquire(m)).close();
        residency.cpuTier().evict(m.id());
        member.shutdown();

        assertThrows(ExecutionException.class, () -> await(residency.acquire(m)));
        assertEquals(0, residency.cpuTier().usedBytes());
        assertFalse(residency.cpuTier().contains(m.id()));
        List<Resident> onDisk = residency.diskTier().residents();
        assertEquals(1, onDisk.size());
        assertEquals(0, onDisk.get(0).inFlight(), "the file the load held is released");
        assertEquals(0, residency.inFlight());
    }
}
