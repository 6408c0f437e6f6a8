package io.trims.policy.eviction;

import io.trims.directory.ModelId;
import io.trims.directory.TierLevel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LruPolicyTest {

    private static final EvictionContext CPU = EvictionContext.alone(TierLevel.CPU, () -> 1_000);
    private final EvictionPolicy lru = EvictionPolicies.byName("lru", CPU);

    private static Resident resident(String name, long bytes, long lastUsed, int inFlight) {
        return new Resident(new ModelId(name, "1"), bytes, lastUsed, 1, Optional.of(new LoadCost(LoadCost.Source.DISK, 1_000)),
                inFlight);
    }

    @Test
    void demotesLeastRecentlyUsedFirstUntilTheNewcomerFits() {
        List<Resident> residents = List.of(
                resident("c", 40, 300, 0), resident("a", 40, 100, 0), resident("b", 40, 200, 0));
        EvictionPlan plan = lru.plan(residents, 120, 120, 60);
        assertTrue(plan.fits());
        assertEquals(List.of(new ModelId("a", "1"), new ModelId("b", "1")), plan.victims());
    }

    @Test
    void keepsTheOrderOfLastUseWhenAgesAreTooCloseForTheirWorthToDiffer() {
        // A day after the uses, recencies 1 ns apart round to the same number; the tie goes by last use.
        EvictionContext aDayLater = EvictionContext.alone(TierLevel.CPU, () -> 86_400_000_000_000L);
        EvictionPolicy late = EvictionPolicies.byName("lru", aDayLater);
        List<Resident> residents = List.of(
                resident("c", 40, 3, 0), resident("a", 40, 1, 0), resident("b", 40, 2, 0));
        assertEquals(List.of(new ModelId("a", "1"), new ModelId("b", "1")), late.plan(residents, 120, 120, 60).victims());
    }

    @Test
    void nothingIsDemotedWhenThereIsRoom() {
        EvictionPlan plan = lru.plan(List.of(resident("a", 40, 100, 0)), 120, 40, 80);
        assertTrue(plan.fits());
        assertTrue(plan.victims().isEmpty());
    }

    @Test
    void residentsInUseAreSkipped() {
        List<Resident> residents = List.of(resident("old", 50, 100, 2), resident("new", 50, 200, 0));
        EvictionPlan plan = lru.plan(residents, 100, 100, 50);
        assertTrue(plan.fits());
        assertEquals(List.of(new ModelId("new", "1")), plan.victims());
    }

    @Test
    void saysItCannotMakeRoomWhenOnlyResidentsInUseWouldFree() {
        List<Resident> residents = List.of(resident("a", 50, 100, 1), resident("b", 50, 200, 0));
        EvictionPlan plan = lru.plan(residents, 100, 100, 80);
        assertFalse(plan.fits());
        assertTrue(plan.victims().isEmpty());
    }

    @Test
    void aNewcomerBiggerThanTheWholeTierCannotFit() {
        assertFalse(lru.plan(List.of(), 100, 0, 101).fits());
    }

    @Test
    void unknownPolicyNamesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvictionPolicies.byName("belady", CPU));
        assertTrue(e.getMessage().contains("lru"), e.getMessage());
        assertEquals("lru", EvictionPolicies.byName(" LRU ", CPU).name());
    }
}
