package io.trims.agent.residency;

import io.trims.directory.LiveDirectory;
import io.trims.directory.ModelId;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierDirectory;
import io.trims.policy.eviction.CopiesElsewhere;

import java.util.Collection;

/**
 * The copies of each model that other live hosts hold, read from this member's {@link LiveDirectory} (kept in memory
 * from the directory's events), so that eviction policies (called under a tier's lock) and the spare-copy check ask
 * without a Hazelcast call. A copy being evicted is no copy; a host's copies count only while its host record is
 * live, as every directory snapshot has it.
 */
public final class ClusterCopies implements CopiesElsewhere, AutoCloseable {

    private final LiveDirectory live;
    private final String self;

    private ClusterCopies(LiveDirectory live, String self) {
        this.live = live;
        this.self = self;
    }

    /** Starts following the directory for host {@code self}, then reads it once (blocking: a Hazelcast read). */
    public static ClusterCopies open(TierDirectory directory, String self) {
        return new ClusterCopies(LiveDirectory.open(directory), self);
    }

    @Override
    public Collection<Residency> of(ModelId model) {
        return live.snapshotFor(model).residencies().stream()
                .filter(copy -> !copy.host().equals(self) && copy.state() != ResidencyState.EVICTING)
                .toList();
    }

    @Override
    public void close() {
        live.close();
    }
}
