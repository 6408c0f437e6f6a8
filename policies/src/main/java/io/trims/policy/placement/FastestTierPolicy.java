package io.trims.policy.placement;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Send a request to the copy in the fastest tier; on a miss, to the host with the most free CPU-tier room among
 * those whose CPU tier is large enough for the model.
 *
 * <p>Among holders: fastest tier first (GPU, CPU, disk); in one tier a READY copy before a LOADING one (a LOADING
 * copy still counts as a hit: it answers once loaded, sooner than a fetch elsewhere); then the least busy host
 * ({@code inFlight}); then the host name, so equal snapshots always give the same answer. A copy that is being
 * evicted, or that sits in a tier its host reports absent, is not counted; nor is a GPU copy of a model registered
 * CPU-only (agents never promote one, so such a record can only be stale): it is never expected in the GPU tier.
 *
 * <p>On a miss, a host whose CPU tier is smaller than the model is passed over, however much of that small tier is
 * free: its capacity counts, not its free room, since eviction can make room but never more than the whole tier
 * (the agent refuses such a model before fetching it). A size of 0 (unknown) passes over no host. If no live host is
 * large enough, the roomiest of all still gets the request: its agent answers 507 with the size of its
 * tier, which tells the caller more than "no live host" would.
 */
public final class FastestTierPolicy implements PlacementPolicy {

    public static final String NAME = "fastest-tier";

    @Override
    public Optional<Placement> place(DirectorySnapshot snapshot, PlacementRequest request) {
        Optional<Placement> hit = bestHolder(snapshot, request);
        return hit.isPresent() ? hit : roomiestHost(snapshot, request);
    }

    private static Optional<Placement> bestHolder(DirectorySnapshot snapshot, PlacementRequest request) {
        record Candidate(Residency copy, HostRecord host) {}
        Comparator<Candidate> fastestFirst = Comparator
                .comparingInt((Candidate c) -> c.copy().tier().rank())
                .thenComparingInt(c -> c.copy().state() == ResidencyState.READY ? 0 : 1)
                .thenComparingInt(c -> c.host().inFlight())
                .thenComparing(c -> c.host().host());
        return snapshot.holders(request.model()).stream()
                .filter(copy -> copy.state() != ResidencyState.EVICTING)
                .filter(copy -> !request.excludedHosts().contains(copy.host()))
                .filter(copy -> request.gpuCapable() || copy.tier() != TierLevel.GPU)
                .flatMap(copy -> snapshot.host(copy.host()).map(host -> new Candidate(copy, host)).stream())
                .filter(c -> c.host().room(c.copy().tier()).present())
                .min(fastestFirst)
                .map(c -> new Placement(c.host().host(), c.host().endpoint(), Optional.of(c.copy().tier())));
    }

    private static Optional<Placement> roomiestHost(DirectorySnapshot snapshot, PlacementRequest request) {
        Comparator<HostRecord> roomiestFirst = Comparator
                .comparingLong((HostRecord h) -> -h.room(TierLevel.CPU).freeBytes())
                .thenComparingInt(HostRecord::inFlight)
                .thenComparing(HostRecord::host);
        List<HostRecord> candidates = snapshot.hosts().values().stream()
                .filter(host -> !request.excludedHosts().contains(host.host()))
                .toList();
        Optional<HostRecord> chosen = candidates.stream()
                .filter(host -> host.room(TierLevel.CPU).capacityBytes() >= request.modelBytes())
                .min(roomiestFirst)
                .or(() -> candidates.stream().min(roomiestFirst));
        return chosen.map(host -> new Placement(host.host(), host.endpoint(), Optional.empty()));
    }
}
