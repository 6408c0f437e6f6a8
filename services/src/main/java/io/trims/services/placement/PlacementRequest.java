package io.trims.services.placement;

import io.trims.directory.ModelId;

import java.util.Objects;
import java.util.Set;

/**
 * What placement is asked: where should this model version run.
 *
 * @param modelBytes    size of the model file, for policies that weigh room
 * @param excludedHosts hosts not to choose, e.g. one that just failed the same request
 */
public record PlacementRequest(ModelId model, long modelBytes, Set<String> excludedHosts) {
    public PlacementRequest {
        Objects.requireNonNull(model, "model");
        excludedHosts = Set.copyOf(excludedHosts);
    }

    public PlacementRequest(ModelId model, long modelBytes) {
        this(model, modelBytes, Set.of());
    }

    public PlacementRequest excluding(String host) {
        var more = new java.util.HashSet<>(excludedHosts);
        more.add(host);
        return new PlacementRequest(model, modelBytes, more);
    }
}
