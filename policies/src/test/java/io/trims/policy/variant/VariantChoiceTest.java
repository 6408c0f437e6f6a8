package io.trims.policy.variant;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;
import io.trims.directory.HostStats;
import io.trims.directory.ModelId;
import io.trims.directory.Residency;
import io.trims.directory.RunTime;
import io.trims.directory.TierLevel;
import io.trims.directory.TierRoom;
import io.trims.policy.placement.CompletionTimePolicy;
import io.trims.policy.placement.Dispatched;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static io.trims.directory.ResidencyState.READY;
import static io.trims.directory.TierLevel.CPU;
import static io.trims.directory.TierLevel.DISK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VariantChoiceTest {

    private static final long GIB = 1L << 30;
    private static final long NOW = 1_000_000;
    private static final long MS = 1_000_000;
    /** Small, fast, less accurate. */
    private static final Variant SMALL = new Variant(new ModelId("minilm", "1"), 90_000_000, true, 0.80, 1.0);
    /** Larger, slower, more accurate, dearer. */
    private static final Variant ACCURATE = new Variant(new ModelId("bge", "1"), 130_000_000, true, 0.85, 1.5);
    private static final List<Variant> TASK = List.of(SMALL, ACCURATE);

    private final VariantChoice choice = new VariantChoice(new CompletionTimePolicy());

    private static HostRecord host(String name) {
        return new HostRecord(name, "member-" + name, "http://" + name + ":8081", false, new TierRoom(0, 0),
                new TierRoom(16 * GIB, 0), new TierRoom(100 * GIB, 0), 0, NOW);
    }

    /** Fetch 100 MB/s, disk load 200 MB/s; a run of the small variant takes 10 ms, of the accurate one 25 ms. */
    private static HostStats measured(String host) {
        return new HostStats(host, 2, 0, 0, 10 * MS, 100e6, 200e6, 0, List.of(
                new RunTime("minilm", "1", CPU, 10 * MS, 50), new RunTime("bge", "1", CPU, 25 * MS, 50)), NOW);
    }

    private static Residency copy(Variant variant, String host, TierLevel tier) {
        return new Residency(host, variant.model().name(), variant.model().version(), tier, READY, variant.bytes(), 0);
    }

    private static DirectorySnapshot snapshot(Residency... copies) {
        return new DirectorySnapshot(Map.of("a", host("a"), "b", host("b")), List.of(copies),
                Map.of("a", measured("a"), "b", measured("b")), NOW);
    }

    private static ServiceTargets targets(Double maxLatencyMs, Double minAccuracy, Double maxCost) {
        return new ServiceTargets(optional(maxLatencyMs), optional(minAccuracy), optional(maxCost));
    }

    private static OptionalDouble optional(Double value) {
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    private VariantPick choose(DirectorySnapshot snapshot, ServiceTargets targets) {
        return choice.choose(snapshot, TASK, targets, model -> Dispatched.NONE).orElseThrow();
    }

    @Test
    void aWarmSmallVariantBeatsAColdAccurateOneUnderATightTarget() {
        VariantPick pick = choose(snapshot(copy(SMALL, "a", CPU)), targets(100.0, null, null));
        assertEquals(SMALL, pick.variant());
        assertEquals("a", pick.placement().host(), "where it is warm");
        assertTrue(pick.warm());
        assertTrue(pick.meetsLatency());
        assertEquals(10.0, pick.estimate().totalMillis(), 1e-9, "no load, one run");
    }

    @Test
    void underALooseTargetTheCheapestVariantThatMeetsItIsServed() {
        VariantPick pick = choose(snapshot(copy(SMALL, "a", DISK), copy(ACCURATE, "b", CPU)), targets(5_000.0, null, null));
        assertEquals(SMALL, pick.variant(), "both meet 5 s; the small one costs less though it loads from disk");
        assertFalse(pick.warm());
        assertTrue(pick.meetsLatency());
    }

    @Test
    void theAccuracyFloorIsRespectedEvenWhenItMeansAColdStart() {
        VariantPick pick = choose(snapshot(copy(SMALL, "a", CPU)), targets(null, 0.84, null));
        assertEquals(ACCURATE, pick.variant());
        assertFalse(pick.warm());
        // A miss: fetch 130 MB at 100 MB/s, load it from disk at 200 MB/s, one run.
        assertEquals(1_300 + 650 + 25, pick.estimate().totalMillis(), 1e-9);
    }

    @Test
    void whenNoVariantMeetsTheTargetTheClosestIsServedAndSaysSo() {
        VariantPick pick = choose(snapshot(copy(SMALL, "a", CPU)), targets(1.0, null, null));
        assertEquals(SMALL, pick.variant(), "10 ms is the closest to 1 ms");
        assertFalse(pick.meetsLatency());

        VariantPick floorFirst = choose(snapshot(copy(SMALL, "a", CPU)), targets(1.0, 0.84, null));
        assertEquals(ACCURATE, floorFirst.variant(), "the accuracy floor holds even when the latency target is missed");
        assertFalse(floorFirst.meetsLatency());
    }

    @Test
    void withoutTargetsTheMostAccurateWarmVariantElseTheMostAccurate() {
        assertEquals(SMALL, choose(snapshot(copy(SMALL, "a", CPU)), ServiceTargets.NONE).variant(),
                "only the small one is warm");
        assertEquals(ACCURATE, choose(snapshot(copy(SMALL, "a", CPU), copy(ACCURATE, "b", CPU)), ServiceTargets.NONE)
                .variant(), "both warm");
        assertEquals(ACCURATE, choose(snapshot(), ServiceTargets.NONE).variant(), "none warm");
    }

    @Test
    void theCostCeilingLeavesOutDearVariants() {
        VariantPick pick = choose(snapshot(copy(ACCURATE, "b", CPU)), targets(null, null, 1.2));
        assertEquals(SMALL, pick.variant(), "the accurate one is warm but costs 1.5");
    }

    @Test
    void targetsNoVariantPassesChooseNothing() {
        assertEquals(Optional.empty(), choice.choose(snapshot(), TASK, targets(null, 0.9, null), model -> Dispatched.NONE));
        assertEquals(Optional.empty(), choice.choose(snapshot(), TASK, targets(null, 0.84, 1.2), model -> Dispatched.NONE));
    }
}
