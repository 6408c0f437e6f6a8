package io.trims.agent.residency;

import com.hazelcast.core.HazelcastInstance;
import io.trims.agent.testing.TestCluster;
import io.trims.agent.tier.CpuTier;
import io.trims.agent.tier.DiskTier;
import io.trims.agent.tier.FetchRetry;
import io.trims.agent.tier.TierException;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierDirectory;
import io.trims.directory.TierLevel;
import io.trims.directory.LocalMembers;
import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.LruPolicy;
import io.trims.runtime.LoadedModel;
import io.trims.runtime.onnx.OnnxCpuRuntime;
import io.trims.testmodels.OnnxModels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load protocol's failure paths with real parts: a Hazelcast directory (one that can be lost), the disk tier
 * fetching from the in-process S3 server, the CPU tier loading ONNX Runtime sessions.
 */
class TierMoveTest extends ResidencyFixture {

    @TempDir
    Path modelsDir;

    private final String host = "host-" + UUID.randomUUID().toString().substring(0, 8);
    /** The model each test moves, named afresh for each. */
    private final ModelId id = new ModelId("move-" + UUID.randomUUID().toString().substring(0, 6), "1");
    private DiskTier disk;
    private CpuTier cpu;

    @BeforeEach
    void tiers() throws Exception {
        disk = new DiskTier(cacheDir, 4 * modelBytes, new LruPolicy(Ticker.system()), Ticker.system());
        cpu = new CpuTier(2 * modelBytes, new LruPolicy(Ticker.system()), new OnnxCpuRuntime(1), Ticker.system());
    }

    @AfterEach
    void closeTiers() {
        cpu.close();
    }

    /** A move publishing to {@code directory}; demotions are published as the residency manager does. */
    private TierMove moveTo(TierDirectory directory) {
        HostPublisher publisher = new HostPublisher(directory, host, null, cpu, disk);
        publisher.open("http://127.0.0.1:1");
        cpu.listen((tier, resident) -> publisher.removed(resident.id(), tier));
        disk.listen((tier, resident) -> publisher.removed(resident.id(), tier));
        return new TierMove(publisher, new TierLog(host, List.of(cpu, disk), Ticker.system()));
    }

    /** The directory's record of the moved model's copy in {@code tier}. */
    private Optional<Residency> record(TierLevel tier) {
        return cluster.directory().snapshot().residencies().stream()
                .filter(r -> r.host().equals(host) && r.modelId().equals(id) && r.tier() == tier)
                .findFirst();
    }

    private Path modelFile(long seed) throws Exception {
        return Files.write(modelsDir.resolve("m" + seed + ".onnx"), OnnxModels.matMulAdd(IN, OUT, seed));
    }

    /** Waits in a load step (which may throw only I/O failures) until the test lets it go on. */
    private static void awaitInLoad(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the load was never let go on");
            }
        } catch (InterruptedException e) {
            throw new InterruptedIOException("interrupted while the load waited");
        }
    }

    private void assertCacheEmpty() throws Exception {
        try (Stream<Path> files = Files.list(cacheDir)) {
            assertEquals(List.of(), files.toList(), "nothing is left in the cache directory");
        }
    }

    @Test
    void aLoadingRecordThatCannotBeWrittenGivesTheReservationBackAndNeverLoads() throws Exception {
        HazelcastInstance member = LocalMembers.startAlone("lost-" + UUID.randomUUID());
        TierMove move = moveTo(new TierDirectory(member));
        Path file = modelFile(1);
        AtomicBoolean loaded = new AtomicBoolean();
        member.shutdown();

        assertThrows(RuntimeException.class, () -> move.move(cpu, id, CpuTier.costOf(file), () -> {
            loaded.set(true);
            return cpu.load(id, file);
        }, model -> CpuTier.costOf(file)));
        assertFalse(loaded.get(), "no load starts without its LOADING record");
        assertEquals(0, cpu.usedBytes());
        assertEquals(0, cpu.sessionsCreated());
    }

    @Test
    void aReadyRecordThatCannotBeWrittenTakesTheFetchedCopyAwayAgain() throws Exception {
        HazelcastInstance member = LocalMembers.startAlone("lost-" + UUID.randomUUID());
        TierMove move = moveTo(new TierDirectory(member));
        ModelRecord m = cluster.registerMatMulAdd(id.name(), "1", IN, OUT, 2);

        RuntimeException lost = assertThrows(RuntimeException.class, () -> move.hold(disk, m.id(), m.sizeBytes(), () -> {
            Path file = disk.fetch(m, cluster.store(), FetchRetry.DEFAULTS);
            member.shutdown();
            return file;
        }, Files::size));
        assertFalse(lost instanceof TierException, "the directory's failure, not a tier's: " + lost);
        assertFalse(disk.contains(m.id()));
        assertEquals(0, disk.usedBytes());
        assertEquals(List.of(), disk.residents());
        assertCacheEmpty();
    }

    @Test
    void aFailedFetchGivesTheReservationBackAndLeavesNoRecordNorFile() throws Exception {
        TierMove move = moveTo(cluster.directory());
        byte[] good = OnnxModels.matMulAdd(IN, OUT, 3);
        byte[] truncated = Arrays.copyOf(good, good.length / 2);
        ModelRecord m = cluster.register(id.name(), "1", truncated, TestCluster.sha256(good), List.of(), List.of());
        CompletableFuture<ResidencyState> whileLoading = new CompletableFuture<>();

        TierException corrupt = assertThrows(TierException.class, () -> move.hold(disk, m.id(), m.sizeBytes(), () -> {
            whileLoading.complete(record(TierLevel.DISK).map(Residency::state).orElse(null));
            return disk.fetch(m, cluster.store(), FetchRetry.DEFAULTS);
        }, Files::size));
        assertEquals(TierException.Kind.CORRUPT_COPY, corrupt.kind());
        assertEquals(ResidencyState.LOADING, whileLoading.get(0, TimeUnit.SECONDS), "announced before the load");
        assertEquals(Optional.empty(), record(TierLevel.DISK));
        assertEquals(0, disk.usedBytes());
        assertCacheEmpty();
    }

    @Test
    void aFileTheRuntimeRefusesGivesTheReservationBackAndLeavesNoRecord() throws Exception {
        TierMove move = moveTo(cluster.directory());
        Path junk = Files.write(modelsDir.resolve("junk.onnx"), new byte[]{9, 9, 9});

        TierException refused = assertThrows(TierException.class,
                () -> move.move(cpu, id, CpuTier.costOf(junk), () -> cpu.load(id, junk), model -> 3L));
        assertEquals(TierException.Kind.NOT_LOADABLE, refused.kind());
        assertEquals(Optional.empty(), record(TierLevel.CPU));
        assertEquals(0, cpu.usedBytes());
        assertFalse(cpu.contains(id));
    }

    @Test
    void aSecondMoveOfTheSameModelIsToldTheTierIsBusyAndLeavesTheFirstAlone() throws Exception {
        TierMove move = moveTo(cluster.directory());
        Path file = modelFile(4);
        long cost = CpuTier.costOf(file);
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        CompletableFuture<TierMove.Copy<LoadedModel>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return move.move(cpu, id, cost, () -> {
                    loading.countDown();
                    awaitInLoad(proceed);
                    return cpu.load(id, file);
                }, model -> cost);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertTrue(loading.await(20, TimeUnit.SECONDS), "the first move reached its load");

        TierException busy = assertThrows(TierException.class,
                () -> move.move(cpu, id, cost, () -> cpu.load(id, file), model -> cost));
        assertEquals(TierException.Kind.BUSY, busy.kind());
        assertEquals(ResidencyState.LOADING, record(TierLevel.CPU).orElseThrow().state(),
                "the refused move does not touch the record of the one under way");
        proceed.countDown();

        assertEquals(cost, first.get(20, TimeUnit.SECONDS).bytes());
        assertEquals(ResidencyState.READY, record(TierLevel.CPU).orElseThrow().state());
        assertTrue(cpu.contains(id));
        assertEquals(cost, cpu.usedBytes(), "one reservation, filled once");
        assertEquals(1, cpu.sessionsCreated(), "one load");
    }

    @Test
    void anEvictionRacingTheMoveTakesTheCopyOnceLoadedAndNoReadyRecordOutlivesIt() throws Exception {
        TierMove move = moveTo(cluster.directory());
        Path file = modelFile(5);
        long cost = CpuTier.costOf(file);

        move.move(cpu, id, cost, () -> {
            assertTrue(cpu.evict(id), "the reservation is in the tier while the load runs");
            return cpu.load(id, file);
        }, model -> cost);
        assertFalse(cpu.contains(id));
        assertEquals(0, cpu.usedBytes());
        assertEquals(Optional.empty(), record(TierLevel.CPU));
    }
}
