package io.trims.policy.eviction;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Least frequently used first: a resident is worth its uses since the copy became resident, the least recently used
 * goes first among equals. Residents with requests in flight are skipped.
 */
public final class LfuPolicy extends RankedEviction {

    public static final String NAME = "lfu";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ToDoubleFunction<Resident> worth(List<Resident> residents) {
        return Resident::uses;
    }
}
