package io.trims.agent;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trims.gpu.GpuProbe;
import io.trims.agent.testing.TestCluster;
import io.trims.directory.HostRecord;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.trims.agent.testing.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void anAgentPublishesItselfAndLeavesTheDirectoryOnStop() throws Exception {
        try (TestCluster cluster = new TestCluster(dir.resolve("s3"))) {
            Vertx vertx = Vertx.vertx();
            try {
                AgentConfig config = AgentConfig.local("life", dir.resolve("cache"), 1000, 2000);
                Agent agent = await(Agent.start(vertx, config, cluster.directory(), cluster.store(), new SimpleMeterRegistry()));
                HostRecord host = cluster.directory().host("life").orElseThrow();
                assertEquals(agent.endpoint(), host.endpoint());
                assertTrue(agent.endpoint().startsWith("http://127.0.0.1:"));
                assertEquals(cluster.directory().localMemberId(), host.memberId());
                assertEquals(1000, host.cpu().capacityBytes());
                assertEquals(2000, host.disk().capacityBytes());
                assertFalse(host.hasGpu());
                assertFalse(host.gpu().present());

                await(agent.stop());
                assertTrue(cluster.directory().host("life").isEmpty());
                await(agent.stop());
            } finally {
                await(vertx.close());
            }
        }
    }

    @Test
    void anAgentThatRequiresAGpuRefusesToStartWithoutOneAndSaysWhy() throws Exception {
        Assumptions.assumeFalse(GpuProbe.probe().present(), "this machine has a GPU");
        try (TestCluster cluster = new TestCluster(dir.resolve("s3"))) {
            Vertx vertx = Vertx.vertx();
            try {
                AgentConfig config = AgentConfig.local("needs-gpu", dir.resolve("cache"), 1000, 2000)
                        .withGpu(GpuSettings.fromEnv(Map.of("TRIMS_GPU_ENABLED", "true")));
                Exception e = assertThrows(Exception.class,
                        () -> await(Agent.start(vertx, config, cluster.directory(), cluster.store(), new SimpleMeterRegistry())));
                assertTrue(e.getMessage().contains("IllegalStateException: TRIMS_GPU_ENABLED=true but there is no GPU tier: "),
                        e.getMessage());
                assertTrue(e.getMessage().contains(GpuProbe.probe().reason()), e.getMessage());
                assertTrue(cluster.directory().host("needs-gpu").isEmpty());
            } finally {
                await(vertx.close());
            }
        }
    }

    @Test
    void configurationComesFromTheEnvironmentWithDefaults() {
        AgentConfig defaults = AgentConfig.fromEnv(Map.of());
        assertEquals(8081, defaults.port());
        assertTrue(defaults.host().endsWith("-8081"), defaults.host());
        assertEquals(Path.of("data/cache/" + defaults.host()), defaults.cacheDir());
        assertEquals(8L << 30, defaults.diskBudgetBytes());
        assertEquals(4L << 30, defaults.cpuBudgetBytes());
        assertEquals(64L << 20, defaults.maxRequestBytes());
        assertEquals("lru", defaults.evictionPolicy());
        assertEquals(60_000, defaults.spareCopyIdleMs());
        assertEquals("127.0.0.1", defaults.advertiseAddress());

        AgentConfig set = AgentConfig.fromEnv(Map.of("TRIMS_HOST", "h1", "TRIMS_AGENT_PORT", "0",
                "TRIMS_ADVERTISE_ADDRESS", "10.0.0.5", "TRIMS_CPU_BUDGET_BYTES", "123"));
        assertEquals("h1", set.host());
        assertEquals(0, set.port());
        assertEquals("10.0.0.5", set.advertiseAddress());
        assertEquals(123, set.cpuBudgetBytes());
        assertEquals(Path.of("data/cache/h1"), set.cacheDir());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> AgentConfig.fromEnv(Map.of("TRIMS_EVICTION_POLICY", "random")));
        assertTrue(bad.getMessage().contains("unknown eviction policy"));
        assertEquals("cluster-aware:gdsf",
                AgentConfig.fromEnv(Map.of("TRIMS_EVICTION_POLICY", "cluster-aware:gdsf")).evictionPolicy());
        assertEquals(0, AgentConfig.fromEnv(Map.of("TRIMS_SPARE_COPY_IDLE_MS", "0")).spareCopyIdleMs());
        assertThrows(IllegalArgumentException.class, () -> AgentConfig.fromEnv(Map.of("TRIMS_SPARE_COPY_IDLE_MS", "-1")));
        assertThrows(IllegalArgumentException.class, () -> AgentConfig.fromEnv(Map.of("TRIMS_CPU_BUDGET_BYTES", "lots")));
    }
}
