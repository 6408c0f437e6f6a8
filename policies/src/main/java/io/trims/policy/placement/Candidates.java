package io.trims.policy.placement;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What every placement policy may choose from: the live hosts and copies a request may be sent to. */
final class Candidates {

    /** A copy of the requested model on a live host. */
    record Holder(Residency copy, HostRecord host) {
        Placement placement() {
            return new Placement(host.host(), host.endpoint(), Optional.of(copy.tier()));
        }
    }

    private static final Comparator<HostRecord> BY_NAME = (a, b) -> a.host().compareTo(b.host());

    private Candidates() {
    }

    /**
     * The copies a request may use: not being evicted, not on an excluded host, in a tier the host reports present,
     * and not a GPU copy of a model registered CPU-only (agents never promote one, so such a record is stale).
     */
    static List<Holder> holders(DirectorySnapshot snapshot, PlacementRequest request) {
        return snapshot.holders(request.model()).stream()
                .filter(copy -> copy.state() != ResidencyState.EVICTING)
                .filter(copy -> !request.excludedHosts().contains(copy.host()))
                .filter(copy -> request.gpuCapable() || copy.tier() != TierLevel.GPU)
                .flatMap(copy -> snapshot.host(copy.host()).map(host -> new Holder(copy, host)).stream())
                .filter(h -> h.host().room(h.copy().tier()).present())
                .toList();
    }

    /** Live hosts the request may go to, holders or not, by name (placement runs per request: no stream). */
    static List<HostRecord> hosts(DirectorySnapshot snapshot, PlacementRequest request) {
        List<HostRecord> hosts = new ArrayList<>(snapshot.hosts().size());
        for (HostRecord host : snapshot.hosts().values()) {
            if (!request.excludedHosts().contains(host.host())) {
                hosts.add(host);
            }
        }
        hosts.sort(BY_NAME);
        return Collections.unmodifiableList(hosts);
    }

    /**
     * A miss: the host with the most free CPU-tier room among those whose CPU tier is large enough for the model
     * (its capacity counts, not its free room: eviction can make room but never more than the whole tier; a size
     * of 0, unknown, passes over no host). If none is large enough, the roomiest of all: its agent answers 507
     * with the size of its tier, which tells the caller more than "no live host" would.
     */
    static Optional<Placement> roomiestHost(DirectorySnapshot snapshot, PlacementRequest request) {
        Comparator<HostRecord> roomiestFirst = Comparator
                .comparingLong((HostRecord h) -> -h.room(TierLevel.CPU).freeBytes())
                .thenComparingInt(HostRecord::inFlight)
                .thenComparing(HostRecord::host);
        List<HostRecord> candidates = hosts(snapshot, request);
        Optional<HostRecord> chosen = candidates.stream()
                .filter(host -> host.room(TierLevel.CPU).capacityBytes() >= request.modelBytes())
                .min(roomiestFirst)
                .or(() -> candidates.stream().min(roomiestFirst));
        return chosen.map(Candidates::miss);
    }

    /** Sending the request to {@code host}, expected there as a miss or in the fastest tier it holds a copy in. */
    static Placement onHost(HostRecord host, List<Holder> holders) {
        return holders.stream().filter(h -> h.host().host().equals(host.host()))
                .min(Comparator.comparingInt(h -> h.copy().tier().rank()))
                .map(Holder::placement)
                .orElseGet(() -> miss(host));
    }

    private static Placement miss(HostRecord host) {
        return new Placement(host.host(), host.endpoint(), Optional.empty());
    }
}
