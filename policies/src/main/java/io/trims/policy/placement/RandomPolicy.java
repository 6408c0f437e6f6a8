package io.trims.policy.placement;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Baseline: a live host drawn uniformly, residency ignored. The random source is injected, so a seeded run (the
 * simulator's) draws the same hosts every time.
 */
public final class RandomPolicy implements PlacementPolicy {

    public static final String NAME = "random";

    private final RandomGenerator random;

    public RandomPolicy(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public Optional<Placement> place(DirectorySnapshot snapshot, PlacementRequest request) {
        List<HostRecord> hosts = Candidates.hosts(snapshot, request);
        if (hosts.isEmpty()) {
            return Optional.empty();
        }
        HostRecord host = hosts.get(random.nextInt(hosts.size()));
        return Optional.of(Candidates.onHost(host, Candidates.holders(snapshot, request)));
    }
}
