package io.trims.policy.eviction;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * GreedyDual-Size-Frequency (Cherkasova, 1998), without the aging term: a resident is worth
 * {@code uses × reload cost / bytes}, what keeping one byte of it saves per use; the least worth goes first, the
 * least recently used among equals. So a large model that is cheap to bring back goes before a small one whose
 * reload is slow. A copy whose load was not seen is costed as {@link ReloadCost} says. Residents in use are skipped.
 */
public final class GdsfPolicy extends RankedEviction {

    public static final String NAME = "gdsf";

    @Override
    public String name() {
        return NAME;
    }

    /** Load time saved per byte kept, over the uses seen; a resident never used since it came counts one use. */
    @Override
    public ToDoubleFunction<Resident> worth(List<Resident> residents) {
        ReloadCost reload = ReloadCost.of(residents);
        return r -> Math.max(1, r.uses()) * reload.nanos(r) / Math.max(1, r.bytes());
    }
}
