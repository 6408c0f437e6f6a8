package io.trims.agent.residency;

import io.trims.objectstore.ObjectStore;
import io.trims.objectstore.StoreUnavailableException;
import io.trims.agent.tier.DiskTier;
import io.trims.agent.tier.FetchRetry;
import io.trims.agent.tier.TierException;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A model's file in the disk tier, fetched from object storage on a miss (a {@link TierMove} into the disk tier).
 * Every file handed out is held (cannot be evicted) until {@link #release}. Blocking: run on a worker.
 */
final class DiskFiles implements GpuPromoter.ModelFiles {

    private final DiskTier disk;
    private final ObjectStore store;
    private final FetchRetry retry;
    private final TierMove moves;
    private final AgentMetrics metrics;
    private final HostStatistics statistics;

    DiskFiles(DiskTier disk, ObjectStore store, FetchRetry retry, TierMove moves, AgentMetrics metrics,
              HostStatistics statistics) {
        this.disk = disk;
        this.store = store;
        this.retry = retry;
        this.moves = moves;
        this.metrics = metrics;
        this.statistics = statistics;
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
        long size = record.sizeBytes() > 0 ? record.sizeBytes() : sizeInStore(record);
        long start = System.nanoTime();
        TierMove.Copy<Path> copy = moves.hold(disk, id, size, () -> fetchVerified(record), Files::size);
        long nanos = System.nanoTime() - start;
        metrics.fetched(copy.bytes(), nanos);
        statistics.fetched(copy.bytes(), nanos);
        return copy.value();
    }

    private long sizeInStore(ModelRecord record) throws IOException {
        try {
            OptionalLong size = store.size(record.objectKey());
            if (size.isEmpty()) {
                metrics.fetchFailed("missing");
                throw TierException.notInStore(record);
            }
            return size.getAsLong();
        } catch (StoreUnavailableException e) {
            metrics.fetchFailed("unavailable");
            throw TierException.storeUnavailable(record, 1, e);
        } catch (IOException e) {
            metrics.fetchFailed("error");
            throw e;
        }
    }

    /** The fetch itself, each failure counted by reason (a reservation refused for room is not a fetch failure). */
    private Path fetchVerified(ModelRecord record) throws IOException {
        try {
            return disk.fetch(record, store, retry);
        } catch (NoSuchFileException e) {
            metrics.fetchFailed("missing");
            throw TierException.notInStore(record);
        } catch (TierException e) {
            metrics.fetchFailed(switch (e.kind()) {
                case CORRUPT_COPY -> "corrupt";
                case STORE_UNAVAILABLE -> "unavailable";
                case DISK_FULL -> "disk_full";
                default -> "error";
            });
            throw e;
        } catch (IOException | RuntimeException e) {
            metrics.fetchFailed("error");
            throw e;
        }
    }
}
