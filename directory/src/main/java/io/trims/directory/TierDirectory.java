package io.trims.directory;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The cluster-wide tier directory: which hosts are alive and which model versions they hold in which tier,
 * plus the catalogue of registered models. Backed by four Hazelcast maps, whose every record is signed with the
 * cluster secret and believed only when its signature checks ({@link SignedMap}).
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
    private final RecordSigner signer;
    private final SignedMap<HostRecord> hosts;
    private final SignedMap<Residency> residencies;
    private final SignedMap<ModelRecord> models;
    private final SignedMap<HostStats> stats;
    private final UUID membershipRegistration;
    private final MemberSweep sweep;
    private final List<Runnable> unregister = new ArrayList<>();
    /** Told of this member's own catalogue writes as they return; see {@link #followCatalogue}. */
    private final List<DirectoryListener> ownCatalogueWrites = new CopyOnWriteArrayList<>();

    /** A directory on a member {@link DirectoryMember} started, signing with the member's cluster secret. */
    public TierDirectory(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
        this.signer = RecordSigner.of(hazelcast);
        this.hosts = new SignedMap<>(HOSTS, hazelcast.getMap(HOSTS), HostRecord.class, HostRecord::host, signer);
        this.residencies = new SignedMap<>(RESIDENCIES, hazelcast.getMap(RESIDENCIES), Residency.class,
                Residency::key, signer);
        this.models = new SignedMap<>(MODELS, hazelcast.getMap(MODELS), ModelRecord.class, m -> m.id().key(), signer);
        this.stats = new SignedMap<>(STATS, hazelcast.getMap(STATS), HostStats.class, HostStats::host, signer);
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

    /** The cluster secret's signer: also what keys the agents' API. */
    public RecordSigner signer() {
        return signer;
    }

    /**
     * Entries dropped so far because they were not signed with the cluster secret, by map name
     * (trims_directory_records_rejected_total{map}).
     */
    public Map<String, Long> rejectedRecords() {
        Map<String, Long> rejected = new TreeMap<>();
        for (SignedMap<?> map : List.of(hosts, residencies, models, stats)) {
            rejected.put(map.name(), map.rejected());
        }
        return rejected;
    }

    /** UUID of the local Hazelcast member: what a host record's {@code memberId} should be. */
    public String localMemberId() {
        return hazelcast.getCluster().getLocalMember().getUuid().toString();
    }

    // ---- hosts

    public void publishHost(HostRecord host) {
        hosts.set(host);
    }

    public Optional<HostRecord> host(String host) {
        return Optional.ofNullable(hosts.get(host));
    }

    /** Removes a host, its statistics and every residency it has (an agent leaving on purpose). */
    public void removeHost(String host) {
        // Filtered here, not by a query: only signed records are believed, and a forged one is no one's to remove.
        residencies.all().forEach((key, r) -> {
            if (r.host().equals(host)) {
                residencies.remove(key);
            }
        });
        stats.remove(host);
        hosts.remove(host);
    }

    /** Publishes what a host measured; callers bound the rate, this is one write per call. */
    public void publishStats(HostStats measured) {
        stats.set(measured);
    }

    // ---- residencies

    public void putResidency(Residency residency) {
        residencies.set(residency);
    }

    /** Every signed residency recorded under one host's name (a scan, filtered here). */
    public List<Residency> residencies(String host) {
        return residencies.values().stream().filter(r -> r.host().equals(host)).toList();
    }

    public void removeResidency(String host, ModelId model, TierLevel tier) {
        // remove, not delete: listeners are given the removed record, which delete would not fetch
        residencies.remove(Residency.key(host, model, tier));
    }

    // ---- catalogue

    public void putModel(ModelRecord model) {
        models.set(model);
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
        return models.values().stream().filter(m -> m.name().equals(name))
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
        return new DirectorySnapshot(hosts.all(), residencies.values(), stats.all(), System.currentTimeMillis());
    }

    /** Registers a listener for every kind of change; returns a handle that unregisters it. */
    public AutoCloseable listen(DirectoryListener listener) {
        List<Runnable> handles = List.of(
                hosts.watch(listener::hostChanged, listener::hostRemoved, listener::hostsCleared),
                residencies.watch(listener::residencyChanged, listener::residencyRemoved, listener::residenciesCleared),
                stats.watch(listener::statsChanged, listener::statsRemoved, listener::statsCleared),
                models.watch(listener::modelChanged, listener::modelRemoved, () -> { }));
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
        Runnable events = models.watch(listener::modelChanged, listener::modelRemoved, () -> { });
        Runnable handle = () -> {
            ownCatalogueWrites.remove(listener);
            events.run();
        };
        synchronized (unregister) {
            unregister.add(handle);
        }
        return handle::run;
    }

    private void forgetMember(String memberId) {
        for (HostRecord host : hosts.values()) {
            if (memberId.equals(host.memberId())) {
                removeHost(host.host());
            }
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
}
