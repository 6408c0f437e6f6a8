package io.trims.agent.residency;

import io.trims.agent.tier.CpuTier;
import io.trims.agent.tier.DiskTier;
import io.trims.agent.tier.GpuTier;
import io.trims.agent.tier.TierException;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;
import io.trims.runtime.LoadedModel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a request finds its model, and the load that brings a copy into the CPU tier when it is in neither memory
 * tier: a GPU or CPU hit is held for the request at once; a miss loads from disk, or from object storage through
 * disk, then holds the copy. Concurrent misses for one model share one load (single flight).
 *
 * <p>Threads: {@link #acquire} starts on the calling thread, which may be an event loop; its lookups take no lock.
 * Loads run on the residency's workers, with no lock held; {@link #loads} is the only shared state, and a load
 * leaves it before its waiters are told.
 */
final class CopyLoads {

    private static final Logger LOG = LoggerFactory.getLogger(CopyLoads.class);
    /** A model loaded for waiting requests can be demoted again before they get it; they then load it again. */
    private static final int ATTEMPTS = 3;

    private final String host;
    private final DiskTier disk;
    private final CpuTier cpu;
    private final GpuTier gpu;
    private final GpuPromoter promoter;
    private final HostPublisher publisher;
    private final TierMove moves;
    private final DiskFiles files;
    private final ResidencyWorkers workers;
    private final AgentMetrics metrics;
    private final HostStatistics statistics;
    /** Loads under way, each ending in where its file came from (empty when another load had done it). */
    private final Map<ModelId, Future<Optional<Origin>>> loads = new ConcurrentHashMap<>();

    /** @param gpu the GPU tier and its {@code promoter}, both null where the host has none */
    CopyLoads(String host, DiskTier disk, CpuTier cpu, GpuTier gpu, GpuPromoter promoter, HostPublisher publisher,
              TierMove moves, DiskFiles files, ResidencyWorkers workers, AgentMetrics metrics,
              HostStatistics statistics) {
        this.host = host;
        this.disk = disk;
        this.cpu = cpu;
        this.gpu = gpu;
        this.promoter = promoter;
        this.publisher = publisher;
        this.moves = moves;
        this.files = files;
        this.workers = workers;
        this.metrics = metrics;
        this.statistics = statistics;
    }

    /**
     * The model, held for one request until the {@link Served} is closed; a use served from the CPU tier counts
     * towards promotion.
     */
    Future<Served> acquire(ModelRecord record) {
        Arrival arrival = arrive(record);
        Future<Served> served = arrival.served() != null
                ? Future.succeededFuture(arrival.served())
                : loadThenTake(record, arrival.origin(), 1);
        return promoter == null ? served : served.onSuccess(s -> {
            if (s.runsIn() == TierLevel.CPU) {
                promoter.usedOnCpu(record);
            }
        });
    }

    /** The model in the CPU tier, neither held nor counted as a use. */
    Future<Void> preload(ModelRecord record) {
        return loadOnce(record).mapEmpty();
    }

    private Future<Served> loadThenTake(ModelRecord record, Origin origin, int attempt) {
        // Where the file came from, once loaded: a cached copy found damaged was fetched again (remote).
        return loadOnce(record)
                .map(source -> take(record, source.orElse(origin)))
                .compose(served -> {
                    if (served.isPresent()) {
                        return Future.succeededFuture(served.get());
                    }
                    if (attempt >= ATTEMPTS) {
                        return Future.failedFuture(TierException.contended(record.id(), TierLevel.CPU, ATTEMPTS));
                    }
                    return loadThenTake(record, origin, attempt + 1);
                });
    }

    /** Where the model is as the request arrives: held at once on a CPU hit, else the tier the load will start from. */
    private Arrival arrive(ModelRecord record) {
        if (gpu != null) {
            Optional<Served> onGpu = takeFromGpu(record);
            if (onGpu.isPresent()) {
                metrics.hit(TierLevel.GPU.label());
                return new Arrival(onGpu.get(), Origin.GPU);
            }
            metrics.miss(TierLevel.GPU.label());
        }
        Optional<Served> hit = take(record, Origin.CPU);
        if (hit.isPresent()) {
            metrics.hit(TierLevel.CPU.label());
            return new Arrival(hit.get(), Origin.CPU);
        }
        metrics.miss(TierLevel.CPU.label());
        if (disk.contains(record.id())) {
            metrics.hit(TierLevel.DISK.label());
            return new Arrival(null, Origin.DISK);
        }
        metrics.miss(TierLevel.DISK.label());
        return new Arrival(null, Origin.REMOTE);
    }

    private Optional<Served> take(ModelRecord record, Origin origin) {
        ModelId id = record.id();
        Optional<LoadedModel> model = cpu.acquire(id);
        if (model.isEmpty()) {
            return Optional.empty();
        }
        publisher.inFlight().incrementAndGet();
        return Optional.of(new Served(record, model.get(), TierLevel.CPU, origin, () -> {
            cpu.release(id);
            publisher.inFlight().decrementAndGet();
        }, metrics));
    }

    private Optional<Served> takeFromGpu(ModelRecord record) {
        ModelId id = record.id();
        Optional<LoadedModel> model = gpu.acquire(id);
        if (model.isEmpty()) {
            return Optional.empty();
        }
        publisher.inFlight().incrementAndGet();
        return Optional.of(new Served(record, model.get(), TierLevel.GPU, Origin.GPU, () -> {
            // Recounted and published while still held: once released, making room may demote this very model,
            // and a READY published after that would outlive its copy.
            long bytes;
            try {
                bytes = gpu.recount(id);
                if (bytes >= 0) {
                    // The arena grew for a larger batch: the directory gets the exact figure.
                    publisher.residency(id, TierLevel.GPU, ResidencyState.READY, bytes);
                }
            } finally {
                gpu.release(id);
                publisher.inFlight().decrementAndGet();
            }
            if (bytes >= 0) {
                publisher.publishHost();
            }
        }, metrics));
    }

    /** One load per model at a time: later callers get the load already under way. */
    private Future<Optional<Origin>> loadOnce(ModelRecord record) {
        ModelId id = record.id();
        Promise<Optional<Origin>> promise = Promise.promise();
        Future<Optional<Origin>> running = loads.putIfAbsent(id, promise.future());
        if (running != null) {
            return running;
        }
        workers.run(() -> load(record)).onComplete(done -> {
            loads.remove(id, promise.future());
            promise.handle(done);
        });
        return promise.future();
    }

    /** Loads the model into the CPU tier; answers where its file came from, or empty if it was there already. */
    private Optional<Origin> load(ModelRecord record) throws IOException {
        ModelId id = record.id();
        if (cpu.contains(id)) {
            return Optional.empty();
        }
        if (record.sizeBytes() > cpu.capacityBytes()) {
            // Checked before the fetch: a model that can never run here is not worth a download.
            throw TierException.tooBig(id, record.sizeBytes(), TierLevel.CPU, cpu.capacityBytes());
        }
        if (cpu.leaving(id)) {
            // Nor while its unloaded copy is still held: the tier cannot take it again before those requests end.
            throw TierException.leaving(id, TierLevel.CPU);
        }
        long start = System.nanoTime();
        Optional<Path> cached = files.cached(record);
        Origin source = cached.isPresent() ? Origin.DISK : Origin.REMOTE;
        Path file = cached.isPresent() ? cached.get() : files.fetch(record);
        try {
            long cost = CpuTier.costOf(file);
            long loading = System.nanoTime();
            moves.move(cpu, id, cost, () -> cpu.load(id, file), model -> cost);
            statistics.loadedFromDisk(cost, System.nanoTime() - loading);
            if (promoter != null) {
                promoter.loadedOnCpu(record);
            }
        } finally {
            files.release(id);
        }
        metrics.load(source.label(), System.nanoTime() - start);
        LOG.debug("{} loaded {} from {} in {} ms", host, id, source.label(), (System.nanoTime() - start) / 1_000_000);
        return Optional.of(source);
    }

    private record Arrival(Served served, Origin origin) {
    }
}
