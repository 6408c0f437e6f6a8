package io.trims.policy.promotion;

import java.util.List;

/**
 * When a model served from the CPU tier is promoted to the GPU tier: on its {@code promoteAfter}-th use within
 * {@code windowMillis} (TrIMS keeps a model in the fastest tier once it shows it is reused, not on its first use, so
 * a one-off request does not push out a model that is hot). A pure function over a snapshot of the model's uses.
 *
 * @param promoteAfter uses within the window that earn promotion (at least 1)
 * @param windowMillis how far back uses count
 */
public record PromotionPolicy(int promoteAfter, long windowMillis) {

    public PromotionPolicy {
        if (promoteAfter < 1) {
            throw new IllegalArgumentException("TRIMS_GPU_PROMOTE_AFTER must be at least 1, not " + promoteAfter);
        }
        if (windowMillis < 1) {
            throw new IllegalArgumentException("TRIMS_GPU_PROMOTE_WINDOW_MS must be positive, not " + windowMillis);
        }
    }

    /** What is known about one model when it is used. */
    public record Candidate(boolean gpuCapable, boolean inGpu, boolean promoting, boolean refusedByGpu,
                            List<Long> useTimesMillis) {
        public Candidate {
            useTimesMillis = List.copyOf(useTimesMillis);
        }
    }

    public enum Decision {
        /** Start loading it into the GPU tier. */
        PROMOTE,
        /** Not (yet) used often enough. */
        WAIT,
        /** Never: it is CPU-only, the GPU refused it, or it is there or on its way already. */
        NEVER
    }

    public Decision decide(Candidate model, long nowMillis) {
        if (!model.gpuCapable() || model.refusedByGpu() || model.inGpu() || model.promoting()) {
            return Decision.NEVER;
        }
        return usesWithin(model.useTimesMillis(), nowMillis) >= promoteAfter ? Decision.PROMOTE : Decision.WAIT;
    }

    /** Uses in the window ending now; a time in the future (clock steps) counts as now. */
    long usesWithin(List<Long> useTimesMillis, long nowMillis) {
        return useTimesMillis.stream().filter(t -> nowMillis - t < windowMillis).count();
    }
}
