package io.trims.agent.tier;

import io.trims.directory.ModelId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Giving back a copy that is not needed: never one in use, never one used after the cut-off. */
class EvictIfUnusedTest {

    private static final ModelId M = new ModelId("m", "1");

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final ValueTier tier = new ValueTier(100, nanos::get);
    private final List<ModelId> evicted = new CopyOnWriteArrayList<>();

    @Test
    void aCopyInUseOrUsedSinceStaysAndServesAndAnUnusedOneGoesAsADemotion() {
        tier.listen((level, resident) -> evicted.add(resident.id()));
        tier.load(M, 10);
        nanos.set(5_000);
        tier.acquire(M).orElseThrow();

        assertFalse(tier.evictIfUnused(M, 10_000), "in use");
        tier.release(M);
        assertFalse(tier.evictIfUnused(M, 4_999), "used at 5000, after the cut-off");
        assertTrue(tier.contains(M));
        assertTrue(tier.acquire(M).isPresent(), "a refused give-back turns no use away");
        tier.release(M);
        assertEquals(List.of(), evicted);

        assertTrue(tier.evictIfUnused(M, 5_000));
        assertFalse(tier.contains(M));
        assertEquals(0, tier.usedBytes());
        assertEquals(List.of(M), evicted, "the listener hears of it as of any demotion");
        assertFalse(tier.evictIfUnused(M, 5_000), "no longer here");
    }
}
