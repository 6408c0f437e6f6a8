package io.trims.agent.tier;

import io.trims.policy.eviction.LoadCost;
import io.trims.policy.eviction.LruPolicy;
import io.trims.policy.eviction.Resident;
import io.trims.runtime.LoadedModel;
import io.trims.runtime.onnx.OnnxCpuRuntime;
import io.trims.testmodels.OnnxModels;
import io.trims.directory.ModelId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuTierTest {

    private static final ModelId A = new ModelId("a", "1");
    private static final ModelId B = new ModelId("b", "1");
    private static final ModelId C = new ModelId("c", "1");

    @TempDir
    Path dir;

    private final OnnxCpuRuntime runtime = new OnnxCpuRuntime(1);
    /** The tier's clock, moved by hand. */
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final List<ModelId> evicted = new CopyOnWriteArrayList<>();
    private CpuTier tier;

    @AfterEach
    void close() {
        tier.close();
    }

    private Path file(ModelId id, long seed) throws Exception {
        return Files.write(dir.resolve(id.name() + ".onnx"), OnnxModels.matMulAdd(16, 16, seed));
    }

    /** A tier exactly {@code models} same-sized models big. */
    private void tierFor(int models) throws Exception {
        long size = Files.size(file(new ModelId("probe", "1"), 0));
        tier = new CpuTier(models * size, new LruPolicy(nanos::get), runtime, nanos::get);
        tier.listen((level, r) -> evicted.add(r.id()));
    }

    private void loadAndRelease(ModelId id, long seed) throws Exception {
        Path file = file(id, seed);
        tier.reserve(id, CpuTier.costOf(file));
        tier.load(id, file);
        tier.release(id);
    }

    @Test
    void theLeastRecentlyUsedModelIsDemotedWhenTheTierIsFull() throws Exception {
        tierFor(2);
        loadAndRelease(A, 1);
        nanos.addAndGet(1_000);
        loadAndRelease(B, 2);
        nanos.addAndGet(1_000);
        tier.acquire(A).orElseThrow();
        tier.release(A);
        loadAndRelease(C, 3);
        assertEquals(List.of(B), evicted);
        assertTrue(tier.contains(A));
        assertFalse(tier.contains(B));
        assertTrue(tier.contains(C));
        assertEquals(3, tier.sessionsCreated());
        assertEquals(tier.residents().stream().mapToLong(Resident::bytes).sum(), tier.usedBytes());
        assertTrue(tier.usedBytes() <= tier.capacityBytes());
    }

    @Test
    void aResidentCarriesItsUsesItsLastUseAndItsLoadCostOnTheTiersClock() throws Exception {
        tierFor(2);
        loadAndRelease(A, 1);
        nanos.addAndGet(500);
        tier.acquire(A).orElseThrow();
        nanos.addAndGet(500);
        tier.acquire(A).orElseThrow();
        Resident held = tier.residents().get(0);
        assertEquals(A, held.id());
        assertEquals(2, held.uses());
        assertEquals(2_000, held.lastUsedNanos());
        assertEquals(2, held.inFlight());
        assertTrue(held.inUse());
        // The clock stood still during the load: it cost nothing on it, and came from the disk tier's file.
        assertEquals(Optional.of(new LoadCost(LoadCost.Source.DISK, 0)), held.loadCost());
        tier.release(A);
        tier.release(A);
        assertFalse(tier.residents().get(0).inUse());
    }

    @Test
    void aModelInUseIsNotEvictedAndTheNewcomerIsToldToRetry() throws Exception {
        tierFor(1);
        loadAndRelease(A, 1);
        LoadedModel inUse = tier.acquire(A).orElseThrow();
        TierException e = assertThrows(TierException.class, () -> tier.reserve(B, Files.size(file(B, 2))));
        assertEquals(TierException.Kind.BUSY, e.kind());
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
        assertTrue(tier.contains(A));
        assertEquals(1, inUse.inputNames().size(), "the session in use is still open");
        tier.release(A);
        loadAndRelease(B, 2);
        assertEquals(List.of(A), evicted);
    }

    @Test
    void aModelBiggerThanTheWholeTierGetsAClearErrorAndEvictsNothing() throws Exception {
        tierFor(2);
        loadAndRelease(A, 1);
        long huge = tier.capacityBytes() + 1;
        TierException e = assertThrows(TierException.class, () -> tier.reserve(C, huge));
        assertEquals(TierException.Kind.TOO_BIG, e.kind());
        assertEquals("model c:1 needs " + huge + " bytes, the cpu tier holds at most " + tier.capacityBytes(), e.getMessage());
        assertTrue(evicted.isEmpty());
        assertTrue(tier.contains(A));
    }

    @Test
    void evictingAModelInUseWaitsForItsRelease() throws Exception {
        tierFor(2);
        loadAndRelease(A, 1);
        tier.acquire(A).orElseThrow();
        assertTrue(tier.evict(A));
        assertFalse(tier.contains(A), "a retiring model takes no new requests");
        assertTrue(evicted.isEmpty());
        tier.release(A);
        assertEquals(List.of(A), evicted);
        assertEquals(0, tier.usedBytes());
    }

    @Test
    void aSecondLoadOfTheSameModelIsToldToRetryAndLeavesTheFirstAlone() throws Exception {
        tierFor(2);
        Path file = file(A, 1);
        tier.reserve(A, CpuTier.costOf(file));
        TierException e = assertThrows(TierException.class, () -> tier.reserve(A, CpuTier.costOf(file)));
        assertEquals(TierException.Kind.BUSY, e.kind());
        assertEquals("model a:1 is already being loaded into the cpu tier; retry", e.getMessage());
        assertEquals(CpuTier.costOf(file), tier.usedBytes(), "the first reservation still holds its bytes once");
        tier.load(A, file);
        tier.release(A);
        assertTrue(tier.contains(A));
    }

    @Test
    void aFileTheRuntimeRefusesGivesItsReservationBack() throws Exception {
        tierFor(2);
        Path bad = Files.write(dir.resolve("bad.onnx"), new byte[]{9, 9, 9});
        tier.reserve(A, 3);
        TierException e = assertThrows(TierException.class, () -> tier.load(A, bad));
        assertEquals(TierException.Kind.NOT_LOADABLE, e.kind());
        assertEquals(0, tier.usedBytes());
        assertFalse(tier.contains(A));
    }
}
