package io.trims.policy.placement;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.ResidencyState;

import java.util.Comparator;
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
        Comparator<Candidates.Holder> fastestFirst = Comparator
                .comparingInt((Candidates.Holder h) -> h.copy().tier().rank())
                .thenComparingInt(h -> h.copy().state() == ResidencyState.READY ? 0 : 1)
                .thenComparingInt(h -> h.host().inFlight())
                .thenComparing(h -> h.host().host());
        Optional<Placement> hit = Candidates.holders(snapshot, request).stream().min(fastestFirst)
                .map(Candidates.Holder::placement);
        return hit.isPresent() ? hit : Candidates.roomiestHost(snapshot, request);
    }
}
