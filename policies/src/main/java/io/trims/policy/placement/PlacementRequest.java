package io.trims.policy.placement;

import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;

import java.util.Objects;
import java.util.Set;

/**
 * What placement is asked: where should this model version run.
 *
 * @param modelBytes    size of the model file, for policies that weigh room
 * @param excludedHosts hosts not to choose, e.g. one that just failed the same request
 * @param gpuCapable    false for a model registered CPU-only: no host is expected to serve it from the GPU tier
 * @param dispatched    what the asking front door has in flight, which the directory may not show yet
 */
public record PlacementRequest(ModelId model, long modelBytes, Set<String> excludedHosts, boolean gpuCapable,
                               Dispatched dispatched) {
    public PlacementRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dispatched, "dispatched");
        excludedHosts = Set.copyOf(excludedHosts);
    }

    public PlacementRequest(ModelId model, long modelBytes, Set<String> excludedHosts, boolean gpuCapable) {
        this(model, modelBytes, excludedHosts, gpuCapable, Dispatched.NONE);
    }

    public PlacementRequest(ModelId model, long modelBytes, Set<String> excludedHosts) {
        this(model, modelBytes, excludedHosts, true);
    }

    public PlacementRequest(ModelId model, long modelBytes) {
        this(model, modelBytes, Set.of());
    }

    /** The request for a registered model, carrying its size and whether it may run in the GPU tier. */
    public static PlacementRequest of(ModelRecord model) {
        return new PlacementRequest(model.id(), model.sizeBytes(), Set.of(), model.gpuCapable());
    }

    public PlacementRequest excluding(String host) {
        var more = new java.util.HashSet<>(excludedHosts);
        more.add(host);
        return new PlacementRequest(model, modelBytes, more, gpuCapable, dispatched);
    }

    public PlacementRequest with(Dispatched now) {
        return new PlacementRequest(model, modelBytes, excludedHosts, gpuCapable, now);
    }
}
