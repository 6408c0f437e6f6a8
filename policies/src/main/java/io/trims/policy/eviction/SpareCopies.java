package io.trims.policy.eviction;

import io.trims.directory.ModelId;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;

import java.util.List;

/**
 * Which of a host's copies in a memory tier are spare, to be given back: extra copies made for a model while it was
 * hot, now idle. A resident is spare when it is not in use, has not been used for the idle threshold, and another
 * live host whose name sorts before this host's holds a ready copy in the same tier or a faster one.
 *
 * <p>The name order is what keeps the model in memory somewhere: among the hosts that hold it in a tier or faster,
 * the one whose name sorts first never finds an earlier holder, so it never gives its copy back by this rule, and
 * every other holder may. Two hosts can thus never drop each other's last copy at once. Only a ready copy can be the
 * one kept: a load still under way may fail.
 */
public final class SpareCopies {

    private final String host;
    private final long idleNanos;

    /**
     * @param host      this host's name in the directory
     * @param idleNanos how long a copy must have gone unused to be spare, on the tier's clock
     */
    public SpareCopies(String host, long idleNanos) {
        if (idleNanos <= 0) {
            throw new IllegalArgumentException("a copy must be idle for some time to be spare, not " + idleNanos + " ns");
        }
        this.host = host;
        this.idleNanos = idleNanos;
    }

    /** The spare residents of this host's {@code tier} at {@code now}, in the snapshot's order. */
    public List<ModelId> in(TierLevel tier, List<Resident> residents, CopiesElsewhere copies, long now) {
        long idleSince = idleSince(now);
        return residents.stream()
                .filter(r -> !r.inUse() && r.lastUsedNanos() <= idleSince)
                .map(Resident::id)
                .filter(id -> keptByAnEarlierHost(id, tier, copies))
                .toList();
    }

    /** A copy last used at or before this instant has been idle long enough at {@code now}. */
    public long idleSince(long now) {
        return now - idleNanos;
    }

    private boolean keptByAnEarlierHost(ModelId id, TierLevel tier, CopiesElsewhere copies) {
        for (Residency copy : copies.of(id)) {
            if (copy.state() == ResidencyState.READY && copy.tier().rank() <= tier.rank()
                    && copy.host().compareTo(host) < 0) {
                return true;
            }
        }
        return false;
    }
}
