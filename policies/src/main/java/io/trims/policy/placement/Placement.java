package io.trims.policy.placement;

import io.trims.directory.TierLevel;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer of placement: the host to send the request to and the tier it is expected to serve from.
 *
 * @param endpoint base URL of the host's v2 API
 * @param heldIn   the tier the host holds the model in, empty for a miss (the host fetches it from object storage)
 */
public record Placement(String host, String endpoint, Optional<TierLevel> heldIn) {
    public Placement {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(heldIn, "heldIn");
    }

    /** The expected tier as the agents name it: gpu, cpu, disk, or remote for a miss. */
    public String expectedTier() {
        return heldIn.map(TierLevel::label).orElse("remote");
    }
}
