package io.trims.bench.sim;

import io.trims.agent.residency.Origin;
import io.trims.agent.tier.TierException;
import io.trims.directory.TierLevel;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * The counts of one simulation: where each request found its model (the tier hits and misses the agent counts follow
 * from it), fetches from object storage, evictions, failures, and each request's times.
 */
final class Tally {

    final long[] origins = new long[Origin.values().length];
    final long[] evictions = new long[TierLevel.values().length];
    final Map<TierException.Kind, Long> failures = new EnumMap<>(TierException.Kind.class);
    /** Requests that missed only because their model was being loaded on their host already (they join that load). */
    long delayedHits;
    long fetches;
    long bytesFetched;
    long promotions;
    /** CPU-tier copies of the requested model in the cluster when each request was placed, summed. */
    long cpuCopiesAtPlacement;
    private final long[] arrivedAt;
    private final long[] heldAt;
    private final long[] doneAt;

    Tally(long[] arrivals) {
        arrivedAt = arrivals;
        heldAt = new long[arrivals.length];
        doneAt = new long[arrivals.length];
        Arrays.fill(heldAt, -1);
        Arrays.fill(doneAt, -1);
    }

    void held(int request, long now) {
        heldAt[request] = now;
    }

    void done(int request, long now) {
        doneAt[request] = now;
    }

    void failed(TierException.Kind why) {
        failures.merge(why, 1L, Long::sum);
    }

    /** Time each answered request waited for its model to be loaded (0 for a hit), in nanoseconds. */
    long[] loadDelays() {
        return answered((i) -> heldAt[i] - arrivedAt[i]);
    }

    /** Arrival to answer of each answered request, in nanoseconds. */
    long[] latencies() {
        return answered((i) -> doneAt[i] - arrivedAt[i]);
    }

    /** Arrival to answer of every request in trace order, in nanoseconds; -1 for one that failed. */
    long[] latencyByRequest() {
        long[] values = new long[doneAt.length];
        for (int i = 0; i < doneAt.length; i++) {
            values[i] = doneAt[i] >= 0 ? doneAt[i] - arrivedAt[i] : -1;
        }
        return values;
    }

    private long[] answered(java.util.function.IntToLongFunction of) {
        long[] values = new long[doneAt.length];
        int n = 0;
        for (int i = 0; i < doneAt.length; i++) {
            if (doneAt[i] >= 0) {
                values[n++] = of.applyAsLong(i);
            }
        }
        return Arrays.copyOf(values, n);
    }
}
