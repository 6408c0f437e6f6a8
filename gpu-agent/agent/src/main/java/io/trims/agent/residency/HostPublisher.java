package io.trims.agent.residency;

import io.trims.agent.tier.BudgetedTier;
import io.trims.agent.tier.Tier;
import io.trims.policy.eviction.Resident;
import io.trims.directory.HostRecord;
import io.trims.directory.HostStats;
import io.trims.directory.ModelId;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierDirectory;
import io.trims.directory.TierLevel;
import io.trims.directory.TierRoom;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tells the directory what this host holds: its residencies as they change, and its host record (rooms per tier,
 * requests in flight). Blocking Hazelcast calls: use from worker threads.
 *
 * <p>It keeps what it told the directory, so that {@link #republish} can put it back should the directory lose it
 * (its maps cleared, a split-brain merge) and remove records under this host's name that it never wrote.
 */
final class HostPublisher {

    private static final TierRoom ABSENT = new TierRoom(0, 0);

    private final TierDirectory directory;
    private final String host;
    private final Tier<?> gpu;
    private final Tier<?> cpu;
    private final Tier<?> disk;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile String endpoint = "";
    private int publishedInFlight = -1;
    private HostStats publishedStats;
    private boolean open;
    /** This host's residencies as last told to the directory, by key. Guarded by this. */
    private final Map<String, Residency> told = new HashMap<>();

    /** @param gpu the GPU tier, or null where the host has none */
    HostPublisher(TierDirectory directory, String host, Tier<?> gpu, Tier<?> cpu, Tier<?> disk) {
        this.directory = directory;
        this.host = host;
        this.gpu = gpu;
        this.cpu = cpu;
        this.disk = disk;
    }

    AtomicInteger inFlight() {
        return inFlight;
    }

    synchronized void open(String endpoint) {
        this.endpoint = endpoint;
        this.open = true;
        publishHost();
    }

    /** Publishes one copy; after {@link #close} nothing is published, so a late load leaves no stale record. */
    synchronized void residency(ModelId id, TierLevel tier, ResidencyState state, long bytes) {
        if (!open) {
            return;
        }
        Residency record = new Residency(host, id.name(), id.version(), tier, state, bytes, System.currentTimeMillis());
        directory.putResidency(record);
        told.put(record.key(), record);
    }

    /**
     * Publishes a copy's state only if the tier still holds it. Under the publisher's lock, which the removal of a
     * copy the tier let go waits for: a removal is always published after this, never before.
     */
    synchronized void residencyIfHeld(Tier<?> tier, ModelId id, ResidencyState state, long bytes) {
        if (tier.contains(id)) {
            residency(id, tier.level(), state, bytes);
        }
    }

    synchronized void removed(ModelId id, TierLevel tier) {
        told.remove(Residency.key(host, id, tier));
        directory.removeResidency(host, id, tier);
    }

    /**
     * Anti-entropy, called periodically: rewrites the host record (under this member's id now) and makes the
     * directory's residencies of this host what its tiers hold. A copy a tier holds ready is put back if missing or
     * different; a record under this host's name that it does not hold, or never wrote, is removed. Copies loading
     * are kept as told. Returns how many residency records it had to write or remove.
     */
    synchronized int republish() {
        if (!open) {
            return 0;
        }
        publishHost();
        publishedStats = null; // the next refresh writes them, should they have gone too
        Map<String, Residency> truth = tiersTruth();
        Map<String, Residency> found = new HashMap<>();
        directory.residencies(host).forEach(r -> found.put(r.key(), r));
        int repaired = 0;
        for (Residency r : truth.values()) {
            Residency there = found.get(r.key());
            if (there == null || there.state() != r.state() || there.bytes() != r.bytes()) {
                directory.putResidency(r);
                repaired++;
            }
        }
        for (Residency there : found.values()) {
            if (!truth.containsKey(there.key())) {
                directory.removeResidency(host, there.modelId(), there.tier());
                repaired++;
            }
        }
        return repaired;
    }

    /**
     * What was told, checked against the tiers: a ready or leaving copy the tier no longer has is dropped, a ready
     * resident never told is added. Under the lock.
     */
    private Map<String, Residency> tiersTruth() {
        List<Tier<?>> tiers = new ArrayList<>(List.of(cpu, disk));
        if (gpu != null) {
            tiers.add(0, gpu);
        }
        for (Tier<?> tier : tiers) {
            told.values().removeIf(r -> r.tier() == tier.level() && r.state() != ResidencyState.LOADING
                    && !tier.contains(r.modelId()) && !leaving(tier, r.modelId()));
            for (Resident resident : tier.residents()) {
                String key = Residency.key(host, resident.id(), tier.level());
                Residency known = told.get(key);
                if (known == null || known.state() == ResidencyState.LOADING) {
                    told.put(key, new Residency(host, resident.id().name(), resident.id().version(), tier.level(),
                            ResidencyState.READY, resident.bytes(), System.currentTimeMillis()));
                }
            }
        }
        return Map.copyOf(told);
    }

    private static boolean leaving(Tier<?> tier, ModelId id) {
        return tier instanceof BudgetedTier<?> budgeted && budgeted.leaving(id);
    }

    /**
     * Publishes the host record with the rooms and in-flight count of now. Synchronized so that the last write is
     * also the newest view. A host without a GPU tier publishes hasGpu false and a GPU room of 0.
     */
    synchronized void publishHost() {
        if (!open) {
            return;
        }
        int now = inFlight.get();
        TierRoom gpuRoom = gpu == null ? ABSENT : new TierRoom(gpu.capacityBytes(), gpu.usedBytes());
        directory.publishHost(new HostRecord(host, directory.localMemberId(), endpoint, gpu != null, gpuRoom,
                new TierRoom(cpu.capacityBytes(), cpu.usedBytes()), new TierRoom(disk.capacityBytes(), disk.usedBytes()),
                now, System.currentTimeMillis()));
        publishedInFlight = now;
    }

    /** Republishes only if the in-flight count moved since the last publication (called periodically). */
    synchronized void refreshInFlight() {
        if (open && inFlight.get() != publishedInFlight) {
            publishHost();
        }
    }

    /**
     * Publishes the host's statistics if they changed since the last publication (called periodically, which is
     * what bounds their rate).
     */
    synchronized void refreshStats(HostStats now) {
        if (open && (publishedStats == null || !sameFigures(publishedStats, now))) {
            directory.publishStats(now);
            publishedStats = now;
        }
    }

    private static boolean sameFigures(HostStats a, HostStats b) {
        return a.equals(new HostStats(b.host(), b.concurrency(), b.running(), b.queued(), b.meanRunNanos(),
                b.fetchBytesPerSecond(), b.diskLoadBytesPerSecond(), b.gpuLoadBytesPerSecond(), b.runTimes(),
                a.updatedAtMillis()));
    }

    /** Stops publishing and removes the host and all its residencies from the directory. */
    synchronized void close() {
        open = false;
        told.clear();
        directory.removeHost(host);
    }
}
