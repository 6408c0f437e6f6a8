package io.trims.agent.residency;

import io.trims.directory.DirectoryListener;
import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;
import io.trims.directory.ModelId;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierDirectory;
import io.trims.policy.eviction.CopiesElsewhere;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The copies of each model that other live hosts hold, kept in memory from the directory's events, so that eviction
 * policies (called under a tier's lock) and the spare-copy check ask without a Hazelcast call. Filled once from a
 * snapshot when opened, then kept current by residency and host events.
 *
 * <p>Copies are kept by their directory key (host, model, tier), not counted: events for different keys arrive in no
 * fixed order and the first fill may read what an event already applied, so applying a change twice must change
 * nothing. Events for one key arrive in order. A copy being evicted is no copy. A host's copies count only while its
 * host record is live: one that left takes them along at once, even if the removals of its records come later.
 *
 * <p>Readers never lock: each model's copies are an immutable map, replaced whole under the writers' lock.
 */
public final class ClusterCopies implements CopiesElsewhere, AutoCloseable {

    private final String self;
    private final Map<ModelId, Map<String, Residency>> byModel = new ConcurrentHashMap<>();
    private final Set<String> liveHosts = ConcurrentHashMap.newKeySet();
    /** Hosts and copies an event changed while the first fill was being read: the fill must not put them back. */
    private Set<String> hostsChangedWhileFilling = new HashSet<>();
    private Set<String> copiesChangedWhileFilling = new HashSet<>();
    private final AutoCloseable subscription;

    private ClusterCopies(TierDirectory directory, String self) {
        this.self = self;
        this.subscription = directory.listen(new Follow());
        try {
            fill(directory.snapshot());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts following the directory for host {@code self}, then reads it once (blocking: a Hazelcast read). */
    public static ClusterCopies open(TierDirectory directory, String self) {
        return new ClusterCopies(directory, self);
    }

    @Override
    public Collection<Residency> of(ModelId model) {
        Map<String, Residency> copies = byModel.get(model);
        if (copies == null) {
            return List.of();
        }
        return copies.values().stream().filter(copy -> liveHosts.contains(copy.host())).toList();
    }

    private synchronized void fill(DirectorySnapshot snapshot) {
        for (String host : snapshot.hosts().keySet()) {
            if (!hostsChangedWhileFilling.contains(host)) {
                liveHosts.add(host);
            }
        }
        for (Residency copy : snapshot.residencies()) {
            if (!copiesChangedWhileFilling.contains(copy.key())) {
                changed(copy);
            }
        }
        hostsChangedWhileFilling = null;
        copiesChangedWhileFilling = null;
    }

    private synchronized void hostChanged(String host) {
        if (hostsChangedWhileFilling != null) {
            hostsChangedWhileFilling.add(host);
        }
        liveHosts.add(host);
    }

    private synchronized void hostRemoved(String host) {
        if (hostsChangedWhileFilling != null) {
            hostsChangedWhileFilling.add(host);
        }
        liveHosts.remove(host);
        List<ModelId> held = byModel.entrySet().stream()
                .filter(e -> e.getValue().values().stream().anyMatch(copy -> copy.host().equals(host)))
                .map(Map.Entry::getKey)
                .toList();
        for (ModelId model : held) {
            edit(model, copies -> copies.values().removeIf(copy -> copy.host().equals(host)));
        }
    }

    private synchronized void copyEvent(Residency copy, boolean removed) {
        if (copiesChangedWhileFilling != null) {
            copiesChangedWhileFilling.add(copy.key());
        }
        if (removed) {
            edit(copy.modelId(), copies -> copies.remove(copy.key()));
        } else {
            changed(copy);
        }
    }

    /** Under the lock: a copy that was put, as a copy held, or, while it is being evicted, as none. */
    private void changed(Residency copy) {
        if (copy.host().equals(self)) {
            return;
        }
        if (copy.state() == ResidencyState.EVICTING) {
            edit(copy.modelId(), copies -> copies.remove(copy.key()));
        } else {
            edit(copy.modelId(), copies -> copies.put(copy.key(), copy));
        }
    }

    /** Under the lock: replaces a model's copies by an edited copy of them, dropping the model once it has none. */
    private void edit(ModelId model, Consumer<Map<String, Residency>> change) {
        Map<String, Residency> copies = new HashMap<>(byModel.getOrDefault(model, Map.of()));
        change.accept(copies);
        if (copies.isEmpty()) {
            byModel.remove(model);
        } else {
            byModel.put(model, Map.copyOf(copies));
        }
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop following the directory's copies", e);
        }
    }

    /** On a Hazelcast event thread: only edits the in-memory copy. */
    private final class Follow implements DirectoryListener {
        @Override
        public void hostChanged(HostRecord host) {
            ClusterCopies.this.hostChanged(host.host());
        }

        @Override
        public void hostRemoved(HostRecord host) {
            ClusterCopies.this.hostRemoved(host.host());
        }

        @Override
        public void residencyChanged(Residency residency) {
            copyEvent(residency, false);
        }

        @Override
        public void residencyRemoved(Residency residency) {
            copyEvent(residency, true);
        }
    }
}
