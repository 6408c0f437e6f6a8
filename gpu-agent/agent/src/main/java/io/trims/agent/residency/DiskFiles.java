package io.trims.agent.residency;

import io.trims.objectstore.ObjectStore;
import io.trims.agent.tier.DiskTier;
import io.trims.agent.tier.TierException;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model's file in the disk tier, fetched from object storage on a miss and published as it moves. Every file
 * handed out is held (cannot be evicted) until {@link #release}. Blocking: run on a worker.
 */
final class DiskFiles implements GpuPromoter.ModelFiles {

    private final DiskTier disk;
    private final ObjectStore store;
    private final HostPublisher publisher;
    private final AgentMetrics metrics;

    DiskFiles(DiskTier disk, ObjectStore store, HostPublisher publisher, AgentMetrics metrics) {
        this.disk = disk;
        this.store = store;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /** The verified copy already on disk, held; empty on a disk miss. */
    Optional<Path> cached(ModelRecord record) throws IOException {
        return disk.acquireVerified(record);
    }

    @Override
    public Path hold(ModelRecord record) throws IOException {
        Optional<Path> cached = cached(record);
        return cached.isPresent() ? cached.get() : fetch(record);
    }

    @Override
    public void release(ModelId id) {
        disk.release(id);
    }

    /** Object storage to disk; the returned file is held once by the caller. */
    Path fetch(ModelRecord record) throws IOException {
        ModelId id = record.id();
        long size = record.sizeBytes() > 0 ? record.sizeBytes() : store.size(record.objectKey()).orElseThrow(() -> missing(record));
        disk.reserve(id, size);
        publisher.loading(disk, id, size);
        long start = System.nanoTime();
        Path file;
        try {
            file = disk.fetch(record, store);
        } catch (NoSuchFileException e) {
            publisher.removed(id, TierLevel.DISK);
            throw missing(record);
        } catch (IOException | RuntimeException e) {
            publisher.removed(id, TierLevel.DISK);
            throw e;
        }
        try {
            long bytes = Files.size(file);
            metrics.fetched(bytes, System.nanoTime() - start);
            publisher.residency(id, TierLevel.DISK, ResidencyState.READY, bytes);
            publisher.publishHost();
            return file;
        } catch (IOException | RuntimeException e) {
            disk.release(id);
            throw e;
        }
    }

    private static TierException missing(ModelRecord record) {
        return new TierException(502, "model " + record.id() + " is registered but its object " + record.objectKey()
                + " is missing from object storage");
    }
}
