package io.trims.policy.placement;

import io.trims.directory.DirectorySnapshot;

import java.util.Optional;

/**
 * Seam: which host serves a request. A pure function over an immutable snapshot, so the same policy runs in the
 * live front door and in the simulator. Empty when no live host may take the request.
 */
@FunctionalInterface
public interface PlacementPolicy {
    Optional<Placement> place(DirectorySnapshot snapshot, PlacementRequest request);
}
