package io.trims.policy.placement;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;
import io.trims.directory.TierLevel;

import java.util.Comparator;
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

    private static final Comparator<Choice> FIRST_TO_FINISH = CompletionTimePolicy::firstToFinish;

    private record Choice(HostRecord host, Estimate estimate) {
        Placement placement() {
            return new Placement(host.host(), host.endpoint(), estimate.heldIn());
        }
    }

    /**
     * One pass over the hosts, as placement runs for every request: the first to finish among the holders, among
     * the hosts with a copy on disk, and among the other hosts with room for a copy (ties: the earlier host in
     * {@link Candidates#hosts} order, as a stream's {@code min} keeps).
     */
    @Override
    public Optional<Placement> place(DirectorySnapshot snapshot, PlacementRequest request) {
        CompletionTime costs = CompletionTime.of(snapshot, request);
        Choice holder = null;
        Choice onDisk = null;
        Choice other = null;
        for (HostRecord host : Candidates.hosts(snapshot, request)) {
            if (host.room(TierLevel.CPU).capacityBytes() < request.modelBytes()) {
                continue;
            }
            Choice c = new Choice(host, costs.estimate(host));
            if (c.estimate().holds()) {
                holder = first(holder, c);
            } else {
                if (c.estimate().heldIn().isPresent()) {
                    onDisk = first(onDisk, c);
                }
                if (host.room(TierLevel.CPU).freeBytes() >= request.modelBytes()) {
                    other = first(other, c);
                }
            }
        }
        if (holder == null) {
            return onDisk != null ? Optional.of(onDisk.placement()) : Candidates.roomiestHost(snapshot, request);
        }
        return Optional.of((other != null && worthAnotherCopy(holder.estimate(), other.estimate()) ? other : holder)
                .placement());
    }

    private static Choice first(Choice best, Choice c) {
        return best == null || FIRST_TO_FINISH.compare(best, c) > 0 ? c : best;
    }

    private static int firstToFinish(Choice a, Choice b) {
        int by = Long.compare(a.estimate().totalNanos(), b.estimate().totalNanos());
        if (by == 0) {
            by = Integer.compare(rank(a), rank(b));
        }
        if (by == 0) {
            by = Long.compare(-a.host().room(TierLevel.CPU).freeBytes(), -b.host().room(TierLevel.CPU).freeBytes());
        }
        return by != 0 ? by : a.host().host().compareTo(b.host().host());
    }

    private static int rank(Choice c) {
        return c.estimate().heldIn().map(TierLevel::rank).orElse(Integer.MAX_VALUE);
    }

    /** The holder's queue is longer than loading elsewhere, and elsewhere finishes sooner. */
    private static boolean worthAnotherCopy(Estimate holder, Estimate elsewhere) {
        return holder.waitNanos() > elsewhere.waitNanos() + elsewhere.loadNanos()
                && elsewhere.totalNanos() < holder.totalNanos();
    }
}
