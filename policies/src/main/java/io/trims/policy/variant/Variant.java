package io.trims.policy.variant;

import io.trims.directory.ModelId;
import io.trims.policy.placement.Dispatched;
import io.trims.policy.placement.PlacementRequest;

import java.util.Objects;
import java.util.Set;

/**
 * One model version registered for a task, with what the task's caller weighs: its accuracy (on the task's own
 * scale, higher is better) and its cost per request (a weight, lower is cheaper).
 *
 * @param bytes      the model file's size, which its loads cost
 * @param gpuCapable false for a model registered CPU-only
 */
public record Variant(ModelId model, long bytes, boolean gpuCapable, double accuracy, double cost) {

    public Variant {
        Objects.requireNonNull(model, "model");
    }

    /** What placement is asked for this variant, with what the asking front door has in flight. */
    public PlacementRequest request(Dispatched dispatched) {
        return new PlacementRequest(model, bytes, Set.of(), gpuCapable, dispatched);
    }
}
