package io.trims.policy.eviction;

import io.trims.directory.ModelId;

import java.util.List;

/**
 * A policy's answer: either the residents to demote, in order, so that the needed bytes fit, or that no choice
 * of idle residents makes room.
 */
public record EvictionPlan(boolean fits, List<ModelId> victims) {

    public EvictionPlan {
        victims = List.copyOf(victims);
    }

    public static EvictionPlan demote(List<ModelId> victims) {
        return new EvictionPlan(true, victims);
    }

    public static EvictionPlan cannotFit() {
        return new EvictionPlan(false, List.of());
    }
}
