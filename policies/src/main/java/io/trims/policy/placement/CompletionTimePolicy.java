package io.trims.policy.placement;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;
import io.trims.directory.TierLevel;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The host where the request is expected to finish first ({@link CompletionTime}), with one load per burst: while
 * some host holds a copy in memory or is bringing one there, the request goes to the holder expected to finish
 * first, unless that holder's queue wait is longer than loading the model on another host (and queueing there), the
 * other host would finish sooner, and it has free CPU-tier room for the model; then it goes there, and a second
 * (third, ...) copy of a hot model is made. The room rule keeps copies from pushing other models out of a full
 * cluster, where every eviction is a later miss the estimate does not see. Without a holder, the host expected to
 * finish first among those with a copy on disk, else the host with the most free CPU-tier room (as
 * {@link FastestTierPolicy} does: a cold load where it evicts least). Among equal estimates: a faster tier first, then the host with the most free
 * CPU-tier room, then by name.
 *
 * <p>A host whose CPU tier is smaller than the model is passed over (eviction can never make that much room); if
 * no host is large enough the roomiest still gets it, and its agent answers 507 with the size of its tier.
 */
public final class CompletionTimePolicy implements PlacementPolicy {

    public static final String NAME = "completion-time";

    private static final Comparator<Choice> FIRST_TO_FINISH = Comparator
            .comparingLong((Choice c) -> c.estimate().totalNanos())
            .thenComparingInt(c -> c.estimate().heldIn().map(TierLevel::rank).orElse(Integer.MAX_VALUE))
            .thenComparingLong(c -> -c.host().room(TierLevel.CPU).freeBytes())
            .thenComparing(c -> c.host().host());

    private record Choice(HostRecord host, Estimate estimate) {
        Placement placement() {
            return new Placement(host.host(), host.endpoint(), estimate.heldIn());
        }
    }

    @Override
    public Optional<Placement> place(DirectorySnapshot snapshot, PlacementRequest request) {
        CompletionTime costs = CompletionTime.of(snapshot, request);
        List<Choice> large = Candidates.hosts(snapshot, request).stream()
                .filter(host -> host.room(TierLevel.CPU).capacityBytes() >= request.modelBytes())
                .map(host -> new Choice(host, costs.estimate(host)))
                .toList();
        if (large.isEmpty()) {
            return Candidates.roomiestHost(snapshot, request);
        }
        Optional<Choice> holder = large.stream().filter(c -> c.estimate().holds()).min(FIRST_TO_FINISH);
        if (holder.isEmpty()) {
            Optional<Choice> onDisk = large.stream().filter(c -> c.estimate().heldIn().isPresent())
                    .min(FIRST_TO_FINISH);
            return onDisk.map(Choice::placement).or(() -> Candidates.roomiestHost(snapshot, request));
        }
        Optional<Choice> other = large.stream()
                .filter(c -> !c.estimate().holds())
                .filter(c -> c.host().room(TierLevel.CPU).freeBytes() >= request.modelBytes())
                .min(FIRST_TO_FINISH);
        return Optional.of(other.filter(o -> worthAnotherCopy(holder.get().estimate(), o.estimate()))
                .orElse(holder.get()).placement());
    }

    /** The holder's queue is longer than loading elsewhere, and elsewhere finishes sooner. */
    private static boolean worthAnotherCopy(Estimate holder, Estimate elsewhere) {
        return holder.waitNanos() > elsewhere.waitNanos() + elsewhere.loadNanos()
                && elsewhere.totalNanos() < holder.totalNanos();
    }
}
