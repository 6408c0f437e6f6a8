package io.trims.directory;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import com.hazelcast.map.listener.MapEvictedListener;
import com.hazelcast.map.MapEvent;
import com.hazelcast.query.Predicates;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The cluster-wide tier directory: which hosts are alive and which model versions they hold in which tier,
 * plus the catalogue of registered models. Backed by three Hazelcast maps.
 *
 * <p>Each member that opens a directory watches membership: when a member leaves or dies, every host record
 * naming it, and every residency of those hosts, is removed. Removal is idempotent, so all members may do it.
 * A record that comes back for a member already gone (a split-brain merge) is removed by the oldest member's
 * {@link MemberSweep} within a second.
 */
public final class TierDirectory implements AutoCloseable {

    static final String HOSTS = "trims-hosts";
    static final String RESIDENCIES = "trims-residencies";
    static final String MODELS = "trims-models";
    static final String STATS = "trims-host-stats";

    private final HazelcastInstance hazelcast;
    private final IMap<String, HostRecord> hosts;
    private final IMap<String, Residency> residencies;
    private final IMap<String, ModelRecord> models;
    private final IMap<String, HostStats> stats;
    private final UUID membershipRegistration;
    private final MemberSweep sweep;
    private final List<Runnable> unregister = new ArrayList<>();
    /** Told of this member's own catalogue writes as they return; see {@link #followCatalogue}. */
    private final List<DirectoryListener> ownCatalogueWrites = new CopyOnWriteArrayList<>();

    public TierDirectory(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
        this.hosts = hazelcast.getMap(HOSTS);
        this.residencies = hazelcast.getMap(RESIDENCIES);
        this.models = hazelcast.getMap(MODELS);
        this.stats = hazelcast.getMap(STATS);
        this.membershipRegistration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                forgetMember(event.getMember().getUuid().toString());
            }
        });
        this.sweep = new MemberSweep(hazelcast, hosts, residencies, stats);
    }

    /** UUID of the local Hazelcast member: what a host record's {@code memberId} should be. */
    public String localMemberId() {
        return hazelcast.getCluster().getLocalMember().getUuid().toString();
    }

    // ---- hosts

    public void publishHost(HostRecord host) {
        hosts.set(host.host(), host);
    }

    public Optional<HostRecord> host(String host) {
        return Optional.ofNullable(hosts.get(host));
    }

    /** Removes a host, its statistics and every residency it has (an agent leaving on purpose). */
    public void removeHost(String host) {
        residencies.removeAll(Predicates.equal("host", host));
        stats.remove(host);
        hosts.remove(host);
    }

    /** Publishes what a host measured; callers bound the rate, this is one write per call. */
    public void publishStats(HostStats measured) {
        stats.set(measured.host(), measured);
    }

    // ---- residencies

    public void putResidency(Residency residency) {
        residencies.set(residency.key(), residency);
    }

    /** Every residency recorded under one host's name (a query of every partition). */
    public List<Residency> residencies(String host) {
        return List.copyOf(residencies.values(Predicates.equal("host", host)));
    }

    public void removeResidency(String host, ModelId model, TierLevel tier) {
        // remove, not delete: listeners are given the removed record, which delete would not fetch
        residencies.remove(Residency.key(host, model, tier));
    }

    // ---- catalogue

    public void putModel(ModelRecord model) {
        models.set(model.id().key(), model);
        ownCatalogueWrites.forEach(listener -> listener.modelChanged(model));
    }

    public Optional<ModelRecord> model(ModelId id) {
        return Optional.ofNullable(models.get(id.key()));
    }

    public List<ModelRecord> models() {
        return List.copyOf(models.values());
    }

    /** Every registered version of a model, oldest first. */
    public List<ModelRecord> versions(String name) {
        return models.values(Predicates.equal("name", name)).stream()
                .sorted(ModelRecord.OLDEST_FIRST)
                .toList();
    }

    /** The newest registered version of a model: what a request that names no version gets. */
    public Optional<ModelRecord> latest(String name) {
        return ModelRecord.newest(versions(name));
    }

    /** Removes a model from the catalogue; holders learn of it through {@link DirectoryListener#modelRemoved}. */
    public boolean removeModel(ModelId id) {
        ModelRecord removed = models.remove(id.key());
        if (removed == null) {
            return false;
        }
        ownCatalogueWrites.forEach(listener -> listener.modelRemoved(removed));
        return true;
    }

    // ---- reading and listening

    public DirectorySnapshot snapshot() {
        return new DirectorySnapshot(new java.util.HashMap<>(hosts), List.copyOf(residencies.values()),
                new java.util.HashMap<>(stats), System.currentTimeMillis());
    }

    /** Registers a listener for every kind of change; returns a handle that unregisters it. */
    public AutoCloseable listen(DirectoryListener listener) {
        List<Runnable> handles = List.of(
                watch(hosts, listener::hostChanged, listener::hostRemoved, listener::hostsCleared),
                watch(residencies, listener::residencyChanged, listener::residencyRemoved,
                        listener::residenciesCleared),
                watch(stats, listener::statsChanged, listener::statsRemoved, listener::statsCleared),
                watch(models, listener::modelChanged, listener::modelRemoved, () -> { }));
        synchronized (unregister) {
            unregister.addAll(handles);
        }
        return () -> handles.forEach(Runnable::run);
    }

    /**
     * Follows the catalogue alone (not the busier host and residency maps): every member's changes as Hazelcast
     * events, and this member's own writes once more, on the writing thread as the write returns, so that a view
     * fed by it already holds a model registered here when the registering call returns (register, then infer).
     * Events are applied again when they arrive, which a listener that keeps a copy must take as idempotent.
     */
    AutoCloseable followCatalogue(DirectoryListener listener) {
        ownCatalogueWrites.add(listener);
        Runnable events = watch(models, listener::modelChanged, listener::modelRemoved, () -> { });
        Runnable handle = () -> {
            ownCatalogueWrites.remove(listener);
            events.run();
        };
        synchronized (unregister) {
            unregister.add(handle);
        }
        return handle::run;
    }

    private static <V> Runnable watch(IMap<String, V> map, Consumer<V> changed, Consumer<V> removed,
                                      Runnable cleared) {
        UUID id = map.addEntryListener(new EntryEvents<>(changed, removed, cleared), true);
        return () -> map.removeEntryListener(id);
    }

    private void forgetMember(String memberId) {
        for (HostRecord host : hosts.values(Predicates.equal("memberId", memberId))) {
            removeHost(host.host());
        }
    }

    @Override
    public void close() {
        sweep.close();
        if (!hazelcast.getLifecycleService().isRunning()) {
            return; // a stopped member has dropped its registrations already
        }
        synchronized (unregister) {
            unregister.forEach(Runnable::run);
            unregister.clear();
        }
        hazelcast.getCluster().removeMembershipListener(membershipRegistration);
    }

    /** A map's clear or evict-all fires one map event, not an entry event per entry: {@code cleared} is told. */
    private record EntryEvents<V>(Consumer<V> changed, Consumer<V> removed, Runnable cleared)
            implements EntryAddedListener<String, V>, EntryUpdatedListener<String, V>, EntryRemovedListener<String, V>,
            MapClearedListener, MapEvictedListener {
        @Override
        public void entryAdded(EntryEvent<String, V> event) {
            changed.accept(event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, V> event) {
            changed.accept(event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, V> event) {
            if (event.getOldValue() != null) {
                removed.accept(event.getOldValue());
            }
        }

        @Override
        public void mapCleared(MapEvent event) {
            cleared.run();
        }

        @Override
        public void mapEvicted(MapEvent event) {
            cleared.run();
        }
    }
}
