package io.trims.policy.eviction;

import java.util.Comparator;
import java.util.List;

/**
 * GreedyDual-Size-Frequency (Cherkasova, 1998), without the aging term: a resident is worth
 * {@code uses × load cost / bytes}, what keeping one byte of it saves per use; the least worth goes first, the
 * least recently used among equals. So a large model that is cheap to bring back goes before a small one whose
 * reload is slow. A copy whose load was not seen (found in the cache at start) is costed at the mean load time
 * per byte of the residents whose loads were seen (1 ns per byte if none were). Residents in use are skipped.
 */
public final class GdsfPolicy implements EvictionPolicy {

    public static final String NAME = "gdsf";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EvictionPlan plan(List<Resident> residents, long capacityBytes, long usedBytes, long neededBytes) {
        double nanosPerByte = meanNanosPerByte(residents);
        Comparator<Resident> leastWorthFirst = Comparator.<Resident>comparingDouble(r -> worth(r, nanosPerByte))
                .thenComparingLong(Resident::lastUsedNanos);
        return RankedEviction.plan(residents, leastWorthFirst, capacityBytes, usedBytes, neededBytes);
    }

    /** Load time saved per byte kept, over the uses seen; a resident never used since it came counts one use. */
    static double worth(Resident r, double nanosPerByte) {
        double cost = r.loadCost().map(c -> (double) c.nanos()).orElse(nanosPerByte * r.bytes());
        return Math.max(1, r.uses()) * cost / Math.max(1, r.bytes());
    }

    private static double meanNanosPerByte(List<Resident> residents) {
        long nanos = 0;
        long bytes = 0;
        for (Resident r : residents) {
            if (r.loadCost().isPresent() && r.bytes() > 0) {
                nanos += r.loadCost().get().nanos();
                bytes += r.bytes();
            }
        }
        return bytes == 0 ? 1 : (double) nanos / bytes;
    }
}
