package io.trims.directory;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two real Hazelcast members in one JVM, each with its own directory view. */
class TierDirectoryTest extends TwoMembers {

    @Test
    void membersFormOneCluster() {
        assertEquals(2, memberA.getCluster().getMembers().size());
    }

    @Test
    void recordsWrittenByOneMemberAreReadByTheOther() {
        HostRecord host = host("agent-b", directoryB.localMemberId());
        directoryB.publishHost(host);
        Residency cpu = new Residency("agent-b", "minilm", "1", TierLevel.CPU, ResidencyState.READY, 90_000_000L, 1000L);
        Residency disk = new Residency("agent-b", "minilm", "1", TierLevel.DISK, ResidencyState.READY, 86_000_000L, 900L);
        directoryB.putResidency(disk);
        directoryB.putResidency(cpu);
        ModelRecord model = new ModelRecord("minilm", "1", "models/minilm/1/model.onnx", "ab".repeat(32), 86_000_000L,
                List.of(new TensorSpec("input_ids", "INT64", new long[]{-1, -1})),
                List.of(new TensorSpec("last_hidden_state", "FP32", new long[]{-1, -1, 384})), 5L);
        directoryB.putModel(model);

        DirectorySnapshot snapshot = directoryA.snapshot();
        assertEquals(host, snapshot.host("agent-b").orElseThrow());
        assertEquals(List.of(cpu, disk), snapshot.holders(new ModelId("minilm", "1")));
        assertEquals(model, directoryA.model(new ModelId("minilm", "1")).orElseThrow());
        assertEquals(model, directoryA.latest("minilm").orElseThrow());
    }

    @Test
    void aCpuOnlyMarkTravelsWithTheModelRecord() {
        ModelRecord cpuOnly = model("lstm", "1", 7L).withGpuUnsupportedReason("operator LSTM has no GPU kernel");
        directoryB.putModel(cpuOnly);

        ModelRecord read = directoryA.model(new ModelId("lstm", "1")).orElseThrow();
        assertEquals("operator LSTM has no GPU kernel", read.gpuUnsupportedReason());
        assertFalse(read.gpuCapable());
        directoryB.putModel(model("mlp", "1", 8L));
        assertTrue(directoryA.model(new ModelId("mlp", "1")).orElseThrow().gpuCapable());
    }

    @Test
    void aTaskProfileTravelsWithTheModelRecord() {
        TaskProfile profile = new TaskProfile("sentence-embedding", 62.17, List.of("quantized", "int8"), 0.34);
        directoryB.putModel(model("bge-q", "1", 9L).withTask(profile));

        assertEquals(profile, directoryA.model(new ModelId("bge-q", "1")).orElseThrow().task());
        directoryB.putModel(model("plain", "1", 10L));
        assertEquals(TaskProfile.NONE, directoryA.model(new ModelId("plain", "1")).orElseThrow().task());
    }

    @Test
    void latestIsTheNewestRegisteredVersion() {
        directoryA.putModel(model("bge", "2", 20L));
        directoryA.putModel(model("bge", "10", 30L));
        directoryA.putModel(model("bge", "1", 10L));
        directoryA.putModel(model("other", "9", 99L));

        assertEquals(List.of("1", "2", "10"), directoryB.versions("bge").stream().map(ModelRecord::version).toList());
        assertEquals("10", directoryB.latest("bge").orElseThrow().version());
        assertTrue(directoryB.latest("absent").isEmpty());
    }

    @Test
    void snapshotLeavesOutResidenciesOfHostsThatAreGone() {
        directoryA.putResidency(new Residency("ghost", "m", "1", TierLevel.CPU, ResidencyState.READY, 1, 1));
        assertTrue(directoryA.snapshot().holders(new ModelId("m", "1")).isEmpty());
    }

    @Test
    void recordsOfAMemberThatDiesVanishWithinFiveSeconds() {
        directoryB.publishHost(host("agent-b", directoryB.localMemberId()));
        directoryB.putResidency(new Residency("agent-b", "m", "1", TierLevel.CPU, ResidencyState.READY, 10, 1));
        directoryA.publishHost(host("agent-a", directoryA.localMemberId()));
        directoryA.putResidency(new Residency("agent-a", "m", "1", TierLevel.DISK, ResidencyState.READY, 10, 1));
        assertEquals(2, directoryA.snapshot().hosts().size());

        long killedAt = System.nanoTime();
        memberB.getLifecycleService().terminate();

        awaitTrue(Duration.ofSeconds(5), () -> {
            DirectorySnapshot s = directoryA.snapshot();
            return s.host("agent-b").isEmpty() && s.residencies().stream().noneMatch(r -> r.host().equals("agent-b"))
                    && memberA.getMap(TierDirectory.RESIDENCIES).size() == 1;
        });
        System.out.printf("records of the dead member gone after %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
        assertTrue(directoryA.snapshot().host("agent-a").isPresent(), "the surviving host is kept");
        assertEquals(1, directoryA.snapshot().holders(new ModelId("m", "1")).size());
    }

    @Test
    void removeHostDropsItsResidencies() {
        directoryA.publishHost(host("agent-a", directoryA.localMemberId()));
        directoryA.putResidency(new Residency("agent-a", "m", "1", TierLevel.CPU, ResidencyState.READY, 10, 1));
        directoryA.putResidency(new Residency("agent-a", "n", "1", TierLevel.DISK, ResidencyState.LOADING, 10, 1));

        directoryB.removeHost("agent-a");

        assertTrue(directoryA.snapshot().hosts().isEmpty());
        assertEquals(0, memberA.getMap(TierDirectory.RESIDENCIES).size());
    }

    @Test
    void listenersLearnOfChangesWithoutPolling() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        AutoCloseable registration = directoryA.listen(new DirectoryListener() {
            @Override
            public void hostChanged(HostRecord host) {
                events.add("host+" + host.host());
            }

            @Override
            public void residencyChanged(Residency r) {
                events.add("residency+" + r.key() + ":" + r.state().label());
            }

            @Override
            public void residencyRemoved(Residency r) {
                events.add("residency-" + r.key());
            }

            @Override
            public void modelRemoved(ModelRecord model) {
                events.add("model-" + model.id());
            }
        });
        directoryB.publishHost(host("agent-b", directoryB.localMemberId()));
        assertEquals("host+agent-b", events.poll(5, TimeUnit.SECONDS));
        directoryB.putResidency(new Residency("agent-b", "m", "1", TierLevel.CPU, ResidencyState.LOADING, 10, 1));
        assertEquals("residency+agent-b|m:1|cpu:loading", events.poll(5, TimeUnit.SECONDS));
        directoryB.removeResidency("agent-b", new ModelId("m", "1"), TierLevel.CPU);
        assertEquals("residency-agent-b|m:1|cpu", events.poll(5, TimeUnit.SECONDS));
        directoryB.putModel(model("m", "1", 1));
        assertTrue(directoryB.removeModel(new ModelId("m", "1")));
        assertEquals("model-m:1", events.poll(5, TimeUnit.SECONDS));

        registration.close();
        directoryB.publishHost(host("agent-c", directoryB.localMemberId()));
        assertEquals(null, events.poll(500, TimeUnit.MILLISECONDS), "no events after the listener is closed");
        assertFalse(directoryB.removeModel(new ModelId("m", "1")));
    }

    private static HostRecord host(String name, String memberId) {
        return new HostRecord(name, memberId, "http://127.0.0.1:8081", false, new TierRoom(0, 0),
                new TierRoom(4L << 30, 90_000_000L), new TierRoom(8L << 30, 86_000_000L), 2, 1234L);
    }
}
