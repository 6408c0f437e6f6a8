package io.trims.gpu.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Offsets in one activation arena: tensors alive at the same step never overlap. Greedy by size: the largest tensors
 * are placed first, each into the smallest gap between already placed tensors whose lifetimes overlap its own.
 */
public final class ArenaPlanner {

    /** Every offset is a multiple of this, so any element type and vector load is aligned. */
    public static final long ALIGNMENT = 256;

    private ArenaPlanner() {
    }

    public record Assignment(Map<String, Long> offsets, long totalBytes) {
    }

    public static Assignment assign(Map<String, Lifetime> lifetimes, Map<String, Long> bytes) {
        List<String> order = new ArrayList<>(lifetimes.keySet());
        order.sort(Comparator.<String>comparingLong(bytes::get).reversed().thenComparing(Comparator.naturalOrder()));
        Map<String, Long> offsets = new HashMap<>();
        List<String> placed = new ArrayList<>();
        long total = 0;
        for (String name : order) {
            long size = align(bytes.get(name));
            Lifetime life = lifetimes.get(name);
            List<long[]> busy = new ArrayList<>();
            for (String other : placed) {
                if (lifetimes.get(other).overlaps(life)) {
                    long start = offsets.get(other);
                    busy.add(new long[]{start, start + align(bytes.get(other))});
                }
            }
            busy.sort(Comparator.comparingLong(r -> r[0]));
            long best = -1;
            long bestGap = Long.MAX_VALUE;
            long cursor = 0;
            for (long[] range : busy) {
                long gap = range[0] - cursor;
                if (gap >= size && gap < bestGap) {
                    best = cursor;
                    bestGap = gap;
                }
                cursor = Math.max(cursor, range[1]);
            }
            long offset = best >= 0 ? best : cursor;
            offsets.put(name, offset);
            placed.add(name);
            total = Math.max(total, offset + size);
        }
        return new Assignment(offsets, total);
    }

    public static long align(long bytes) {
        return Math.max(ALIGNMENT, (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT);
    }
}
