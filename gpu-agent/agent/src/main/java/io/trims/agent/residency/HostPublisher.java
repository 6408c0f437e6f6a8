package io.trims.agent.residency;

import io.trims.agent.tier.Tier;
import io.trims.directory.HostRecord;
import io.trims.directory.HostStats;
import io.trims.directory.ModelId;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierDirectory;
import io.trims.directory.TierLevel;
import io.trims.directory.TierRoom;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tells the directory what this host holds: its residencies as they change, and its host record (rooms per tier,
 * requests in flight). Blocking Hazelcast calls: use from worker threads.
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
        directory.putResidency(new Residency(host, id.name(), id.version(), tier, state, bytes, System.currentTimeMillis()));
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
        directory.removeResidency(host, id, tier);
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
        directory.removeHost(host);
    }
}
