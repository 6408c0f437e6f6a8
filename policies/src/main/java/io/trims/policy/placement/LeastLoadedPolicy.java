package io.trims.policy.placement;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;

import java.util.Comparator;
import java.util.Optional;

/**
 * Baseline that ignores residency: the live host with the fewest requests in flight (then by name), as a
 * load balancer in front of model servers that share nothing would route. Expected tier: wherever that host
 * happens to hold the model, else a miss.
 */
public final class LeastLoadedPolicy implements PlacementPolicy {

    public static final String NAME = "least-loaded";

    @Override
    public Optional<Placement> place(DirectorySnapshot snapshot, PlacementRequest request) {
        return Candidates.hosts(snapshot, request).stream()
                .min(Comparator.comparingInt(HostRecord::inFlight).thenComparing(HostRecord::host))
                .map(host -> Candidates.onHost(host, Candidates.holders(snapshot, request)));
    }
}
