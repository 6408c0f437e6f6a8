package io.trims.agent.tier;

import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.LruPolicy;
import io.trims.policy.eviction.Resident;
import io.trims.agent.testing.BookkeepingGpu;
import io.trims.runtime.LoadedModel;
import io.trims.directory.ModelId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GPU tier's bookkeeping: exact device bytes, budget, demotion order, freeing on demotion and on close.
 *
 * <p>This machine has no GPU, so the executor here is a double that "loads" a file into a model claiming a fixed
 * number of device bytes and records when it is closed. It stands in ONLY for the tier's accounting; the tier on a
 * real device (bytes from cuMemGetInfo, no leak over load/unload cycles) is tested by the {@code gpu}-tagged tests.
 */
class GpuTierBookkeepingTest {

    private static final ModelId A = new ModelId("a", "1");
    private static final ModelId B = new ModelId("b", "1");
    private static final ModelId C = new ModelId("c", "1");

    @TempDir
    Path dir;

    /** Device bytes are the number after the dash in the file name. */
    private final BookkeepingGpu backend = new BookkeepingGpu(
            name -> Long.parseLong(name.substring(name.indexOf('-') + 1, name.indexOf('.'))));
    private final List<ModelId> demoted = new CopyOnWriteArrayList<>();

    private GpuTier tier(long capacity) {
        GpuTier tier = new GpuTier(capacity, new LruPolicy(Ticker.system()), backend, Ticker.system());
        tier.listen((level, r) -> demoted.add(r.id()));
        return tier;
    }

    /** A 100-byte file whose model claims {@code deviceBytes} on the device. */
    private Path file(ModelId id, long deviceBytes) throws Exception {
        return Files.writeString(dir.resolve(id.name() + "-" + deviceBytes + ".onnx"), "x".repeat(100));
    }

    private long promote(GpuTier tier, ModelId id, long deviceBytes) throws Exception {
        Path file = file(id, deviceBytes);
        tier.reserve(id, GpuTier.estimateOf(file));
        long bytes = tier.load(id, file);
        tier.release(id);
        return bytes;
    }

    @Test
    void residentsCostTheirExactDeviceBytesNotTheirFileSize() throws Exception {
        GpuTier tier = tier(10_000);
        assertEquals(1234, promote(tier, A, 1234));
        assertEquals(1234, tier.usedBytes());
        assertEquals(List.of(1234L), tier.residents().stream().map(Resident::bytes).toList());
        promote(tier, B, 66);
        assertEquals(1300, tier.usedBytes());
    }

    @Test
    void theLeastRecentlyUsedIdleModelIsDemotedAndFreedOnTheDevice() throws Exception {
        GpuTier tier = tier(250);
        promote(tier, A, 100);
        promote(tier, B, 100);
        tier.acquire(A).orElseThrow();
        tier.release(A);
        promote(tier, C, 100);
        assertEquals(List.of(B), demoted);
        assertEquals(List.of("b-100.onnx"), backend.closed());
        assertTrue(tier.contains(A) && tier.contains(C) && !tier.contains(B));
        assertEquals(200, tier.usedBytes());
    }

    @Test
    void aLoadThatCostsMoreThanItsEstimateMakesRoomAfterwards() throws Exception {
        GpuTier tier = tier(1000);
        promote(tier, A, 400);
        promote(tier, B, 300);
        promote(tier, C, 500);
        assertEquals(List.of(A), demoted, "the estimate (100 bytes) fitted; the real 500 did not until A went");
        assertEquals(800, tier.usedBytes());
    }

    @Test
    void anArenaThatGrowsAfterARunIsRecountedAndMakesRoom() throws Exception {
        GpuTier tier = tier(1000);
        promote(tier, A, 300);
        promote(tier, B, 300);
        LoadedModel b = tier.acquire(B).orElseThrow();
        ((BookkeepingGpu.DeviceModel) b).claim(800);
        tier.release(B);
        assertEquals(800, tier.recount(B));
        assertEquals(List.of(A), demoted, "the grown arena pushed the tier over budget; the idle A made room");
        assertEquals(800, tier.usedBytes());
        assertEquals(-1, tier.recount(B), "unchanged");
        assertEquals(-1, tier.recount(A), "not resident");
    }

    @Test
    void anArenaRecountedWhileEveryModelIsInUseMakesRoomWhenOneIsReleased() throws Exception {
        GpuTier tier = tier(1000);
        promote(tier, A, 300);
        promote(tier, B, 300);
        tier.acquire(A).orElseThrow();
        LoadedModel b = tier.acquire(B).orElseThrow();
        ((BookkeepingGpu.DeviceModel) b).claim(800);
        assertEquals(800, tier.recount(B), "recounted while held, as the residency manager does");
        assertTrue(demoted.isEmpty(), "both models are in use");
        assertEquals(1100, tier.usedBytes());
        tier.release(A);
        assertEquals(List.of(A), demoted);
        assertEquals(800, tier.usedBytes());
        tier.release(B);
        assertTrue(tier.contains(B));
    }

    @Test
    void aLoadWhoseExactBytesDoNotFitBesideModelsInUseIsClosedAgainAndRefused() throws Exception {
        GpuTier tier = tier(1000);
        promote(tier, A, 300);
        tier.acquire(A).orElseThrow();
        Path big = file(B, 800);
        tier.reserve(B, GpuTier.estimateOf(big));
        TierException busy = assertThrows(TierException.class, () -> tier.load(B, big));
        assertEquals(TierException.Kind.BUSY, busy.kind());
        assertFalse(tier.contains(B));
        assertEquals(List.of("b-800.onnx"), backend.closed(), "the device copy is freed");
        assertEquals(300, tier.usedBytes());
        assertTrue(tier.contains(A));

        Path huge = file(C, 1200);
        tier.reserve(C, GpuTier.estimateOf(huge));
        assertEquals(TierException.Kind.TOO_BIG, assertThrows(TierException.class, () -> tier.load(C, huge)).kind());
        assertEquals(300, tier.usedBytes());
    }

    @Test
    void aModelInUseIsNeverDemotedAndTheNewcomerIsToldTheTierIsBusy() throws Exception {
        GpuTier tier = tier(150);
        promote(tier, A, 100);
        tier.acquire(A).orElseThrow();
        TierException busy = assertThrows(TierException.class, () -> tier.reserve(B, 100));
        assertEquals(TierException.Kind.BUSY, busy.kind());
        assertTrue(demoted.isEmpty());
        assertEquals(TierException.Kind.TOO_BIG, assertThrows(TierException.class, () -> tier.reserve(C, 151)).kind());
    }

    @Test
    void aModelTheExecutorRefusesGivesItsReservationBack() throws Exception {
        GpuTier tier = tier(1000);
        Path file = Files.writeString(dir.resolve("unsupported.onnx"), "x".repeat(100));
        tier.reserve(A, GpuTier.estimateOf(file));
        TierException refused = assertThrows(TierException.class, () -> tier.load(A, file));
        assertEquals(TierException.Kind.NOT_LOADABLE, refused.kind());
        assertTrue(refused.getMessage().contains("operator LSTM is not supported"), refused.getMessage());
        assertEquals(0, tier.usedBytes());
        assertFalse(tier.contains(A));
    }

    @Test
    void closingTheTierFreesEveryModelThenTheDevice() throws Exception {
        GpuTier tier = tier(1000);
        promote(tier, A, 10);
        promote(tier, B, 20);
        tier.close();
        assertEquals(Set.of("a-10.onnx", "b-20.onnx"), Set.copyOf(backend.closed()));
        assertTrue(backend.closedDevice());
        assertEquals(0, tier.usedBytes());
    }
}
