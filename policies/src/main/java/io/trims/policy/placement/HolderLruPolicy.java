package io.trims.policy.placement;

import io.trims.directory.DirectorySnapshot;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Baseline in the manner of KServe ModelMesh: any host holding a copy, whatever its tier, the least busy first
 * (ModelMesh knows that a model is loaded somewhere, not how fast that copy answers); on a miss, the host with
 * the most free room, which then loads it (hosts evict by LRU there).
 */
public final class HolderLruPolicy implements PlacementPolicy {

    public static final String NAME = "holder-lru";

    @Override
    public Optional<Placement> place(DirectorySnapshot snapshot, PlacementRequest request) {
        Comparator<Candidates.Holder> leastBusy = Comparator
                .comparingInt((Candidates.Holder h) -> h.host().inFlight())
                .thenComparing(h -> h.host().host());
        List<Candidates.Holder> holders = Candidates.holders(snapshot, request);
        return holders.stream().min(leastBusy)
                .map(holder -> Candidates.onHost(holder.host(), holders))
                .or(() -> Candidates.roomiestHost(snapshot, request));
    }
}
