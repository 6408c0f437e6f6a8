package io.trims.agent.tier;

import io.trims.directory.ModelId;
import io.trims.policy.eviction.Resident;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The mean gap between a resident's acquires, as a tier on a hand-moved clock measures it. */
class UseGapTest {

    private static final ModelId M = new ModelId("m", "1");

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final ValueTier tier = new ValueTier(100, nanos::get);

    private Resident resident() {
        return tier.residents().stream().filter(r -> r.id().equals(M)).findFirst().orElseThrow();
    }

    private void acquireAt(long at) {
        nanos.set(at);
        tier.acquire(M).orElseThrow();
        tier.release(M);
    }

    @Test
    void theMeanGapFollowsTheAcquiresWeightingTheNewestByAQuarter() {
        tier.load(M, 10);
        assertEquals(0, resident().meanGapNanos(), "the loader's hold is no arrival");
        assertEquals(1_000, resident().residentSinceNanos());

        acquireAt(5_000);
        assertEquals(0, resident().meanGapNanos(), "one acquire makes no gap");
        acquireAt(6_000);
        assertEquals(1_000, resident().meanGapNanos(), "the first gap is the mean");
        acquireAt(10_000);
        assertEquals(1_000 + (4_000 - 1_000) / 4, resident().meanGapNanos());
        acquireAt(10_000);
        assertEquals(Math.round(1_750 + (1 - 1_750) * 0.25), resident().meanGapNanos(),
                "two acquires at one instant are 1 ns apart");

        Resident now = resident();
        assertEquals(4, now.uses());
        assertEquals(10_000, now.lastUsedNanos());
        assertEquals(1_000, now.residentSinceNanos());
    }
}
