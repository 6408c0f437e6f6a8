package io.trims.policy.eviction;

import io.trims.directory.ModelId;
import io.trims.directory.TierLevel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** BeladyAM on hand-made snapshots at a fixed "now": expected next use, reload cost and size against each other. */
class BeladyAmPolicyTest {

    private static final long NOW = 100_000_000;
    private static final EvictionContext CPU = EvictionContext.alone(TierLevel.CPU, () -> NOW);

    private final EvictionPolicy beladyAm = EvictionPolicies.byName("belady-am", CPU);

    /** A resident of {@code bytes} whose load took {@code loadNanos}, last used {@code idle} ago, since a second. */
    private static Resident resident(String name, long bytes, long loadNanos, long idle, long meanGap, int inFlight) {
        return new Resident(id(name), bytes, NOW - idle, 5, Optional.of(new LoadCost(LoadCost.Source.DISK, loadNanos)),
                inFlight, meanGap, NOW - 1_000_000_000L);
    }

    private static ModelId id(String name) {
        return new ModelId(name, "1");
    }

    @Test
    void aModelWithALongExpectedGapGoesBeforeAFrequentlyUsedOneOfTheSameSizeAndCost() {
        // "rare" was used more recently, so LRU would keep it; its usual gap says its next use is far off.
        List<Resident> residents = List.of(
                resident("rare", 50, 1_000_000, 50_000, 5_000_000, 0),
                resident("frequent", 50, 1_000_000, 80_000, 100_000, 0));
        assertEquals(List.of(id("rare")), beladyAm.plan(residents, 100, 100, 50).victims());
        assertEquals(List.of(id("frequent")), EvictionPolicies.byName("lru", CPU).plan(residents, 100, 100, 50).victims());
    }

    @Test
    void aBigModelThatReloadsCheaplyGoesBeforeASmallCostlyOne() {
        List<Resident> residents = List.of(
                resident("small-costly", 10, 2_000_000, 1_000, 100_000, 0),
                resident("big-cheap", 80, 400_000, 1_000, 100_000, 0));
        assertEquals(List.of(id("big-cheap")), beladyAm.plan(residents, 100, 90, 20).victims());
    }

    @Test
    void aModelIdleForLongerThanItsUsualGapIsExpectedLater() {
        // "stopped" came every microsecond but has been idle for 5 ms; "steady" comes every millisecond.
        List<Resident> residents = List.of(
                resident("steady", 50, 1_000_000, 500_000, 1_000_000, 0),
                resident("stopped", 50, 1_000_000, 5_000_000, 1_000, 0));
        assertEquals(List.of(id("stopped")), beladyAm.plan(residents, 100, 100, 50).victims());
    }

    @Test
    void withoutAGapTheTimeSinceTheCopyBecameResidentStandsIn() {
        // Used once, just now, but resident for 4 ms: one use in 4 ms is expected to come back later than "regular".
        Optional<LoadCost> cost = Optional.of(new LoadCost(LoadCost.Source.REMOTE, 1_000_000));
        Resident once = new Resident(id("once"), 50, NOW - 10, 1, cost, 0, 0, NOW - 4_000_000);
        Resident regular = new Resident(id("regular"), 50, NOW - 100, 9, cost, 0, 1_000_000, NOW - 50_000_000);
        assertEquals(List.of(id("once")), beladyAm.plan(List.of(regular, once), 100, 100, 50).victims());
        assertEquals(4_000_000, BeladyAmPolicy.nanosToNextUse(once, NOW));
        assertEquals(1_000_000, BeladyAmPolicy.nanosToNextUse(regular, NOW));
    }

    @Test
    void aResidentInUseIsNeverOfferedAndWhatCannotFitIsSaid() {
        List<Resident> residents = List.of(
                resident("busy-rare", 50, 1, 90_000_000, 90_000_000, 2),
                resident("idle-hot", 50, 9_000_000, 0, 1_000, 0));
        assertEquals(List.of(id("idle-hot")), beladyAm.plan(residents, 100, 100, 50).victims());
        assertFalse(beladyAm.plan(residents, 100, 100, 60).fits(), "only the busy one would free enough");
        assertFalse(beladyAm.plan(List.of(), 100, 0, 101).fits(), "bigger than the tier");
    }

    @Test
    void theExponentsWeighNextUseAgainstCost() {
        // With b = 0 cost is ignored: the small costly model, expected later, goes first.
        List<Resident> residents = List.of(
                resident("small-costly-later", 50, 9_000_000, 1_000, 2_000_000, 0),
                resident("cheap-sooner", 50, 1_000, 1_000, 1_000_000, 0));
        assertEquals(List.of(id("cheap-sooner")), beladyAm.plan(residents, 100, 100, 50).victims());
        EvictionPolicy costBlind = new BeladyAmPolicy(() -> NOW, 1, 0);
        assertEquals(List.of(id("small-costly-later")), costBlind.plan(residents, 100, 100, 50).victims());
        assertThrows(IllegalArgumentException.class, () -> new BeladyAmPolicy(() -> NOW, -1, 1));
    }
}
