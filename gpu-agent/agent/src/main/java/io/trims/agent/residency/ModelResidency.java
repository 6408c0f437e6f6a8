package io.trims.agent.residency;

import io.trims.agent.tier.BudgetedTier;
import io.trims.policy.eviction.CopiesElsewhere;
import io.trims.policy.eviction.Resident;
import io.trims.objectstore.ObjectStore;
import io.trims.agent.tier.CpuTier;
import io.trims.agent.tier.DiskTier;
import io.trims.agent.tier.FetchRetry;
import io.trims.agent.tier.GpuTier;
import io.trims.policy.promotion.PromotionPolicy;
import io.trims.agent.tier.TierException;
import io.trims.policy.promotion.UseHistory;
import io.trims.directory.DirectoryListener;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierDirectory;
import io.trims.directory.TierLevel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Brings models to where they can run and keeps them there while they are used. A request walks down the tiers:
 * a CPU hit runs at once; a disk hit is loaded into the CPU tier; a miss is fetched from object storage to disk
 * (digest verified) and then loaded. Concurrent misses for one model share one load (single flight,
 * {@link CopyLoads}). Full tiers demote through their eviction policy. Every change is published to the directory.
 *
 * <p>Where the host has a GPU tier, a GPU hit runs first; a model reused from the CPU tier is promoted to the GPU
 * tier in the background ({@link GpuPromoter}), and demoted from it by the GPU tier's eviction policy (its CPU copy
 * stays where it is).
 *
 * <p>An extra copy made while a model was hot is given back once it idles, if another host keeps one
 * ({@link #giveBackSpareCopies}).
 *
 * <p>All blocking work (tiers, ONNX Runtime, object storage, Hazelcast) runs on a worker pool, never on an event loop.
 */
public final class ModelResidency {

    private static final Logger LOG = LoggerFactory.getLogger(ModelResidency.class);
    /** How often this host's records are rewritten from the tiers' truth: a lost directory is whole within it. */
    static final long REPUBLISH_MS = HostTimers.REPUBLISH_MS;

    private final String host;
    private final TierDirectory directory;
    private final DiskTier disk;
    private final CpuTier cpu;
    private final GpuTier gpu;
    private final AgentMetrics metrics;
    private final HostPublisher publisher;
    private final HostStatistics statistics;
    private final TierLog log;
    private final ResidencyWorkers workers;
    private final CopyLoads loads;
    private final ModelRelease release;
    private AutoCloseable listening;
    private final HostTimers timers;
    /** Guarded by this: set before start. */
    private SpareCopyRelease spares;

    /** A host without a GPU tier. */
    public ModelResidency(Vertx vertx, String host, TierDirectory directory, ObjectStore store, DiskTier disk, CpuTier cpu,
                          AgentMetrics metrics, int workerThreads) {
        this(vertx, host, directory, store, disk, cpu, null, null, metrics, workerThreads);
    }

    /** As the full constructor, fetches tried as {@link FetchRetry#DEFAULTS} says. */
    public ModelResidency(Vertx vertx, String host, TierDirectory directory, ObjectStore store, DiskTier disk, CpuTier cpu,
                          GpuTier gpu, PromotionPolicy promotion, AgentMetrics metrics, int workerThreads) {
        this(vertx, host, directory, store, FetchRetry.DEFAULTS, disk, cpu, gpu, promotion, metrics, workerThreads);
    }

    /**
     * @param retry     how often a fetch from object storage is tried before the request fails
     * @param gpu       the GPU tier, or null where the host has none
     * @param promotion when a model moves from the CPU tier to the GPU tier; unused without a GPU tier
     */
    public ModelResidency(Vertx vertx, String host, TierDirectory directory, ObjectStore store, FetchRetry retry,
                          DiskTier disk, CpuTier cpu, GpuTier gpu, PromotionPolicy promotion, AgentMetrics metrics,
                          int workerThreads) {
        this.host = host;
        this.directory = directory;
        this.disk = disk;
        this.cpu = cpu;
        this.gpu = gpu;
        this.metrics = metrics;
        this.publisher = new HostPublisher(directory, host, gpu, cpu, disk);
        this.statistics = new HostStatistics(host);
        this.log = new TierLog(host, gpu == null ? List.of(cpu, disk) : List.of(gpu, cpu, disk), cpu.ticker());
        TierMove moves = new TierMove(publisher, log);
        DiskFiles files = new DiskFiles(disk, store, retry, moves, metrics, statistics);
        this.workers = new ResidencyWorkers(vertx, host, workerThreads);
        this.timers = new HostTimers(vertx, workers);
        metrics.watch(cpu);
        metrics.watch(disk);
        metrics.watchCorruptCopies(disk);
        metrics.watchInFlight(publisher.inFlight());
        cpu.listen((tier, resident) -> demoted(tier, resident));
        disk.listen((tier, resident) -> demoted(tier, resident));
        GpuPromoter promoter = null;
        if (gpu != null) {
            metrics.watch(gpu);
            gpu.listen((tier, resident) -> demoted(tier, resident));
            // Uses are timed on the tiers' clock, so a simulated clock moves promotion too.
            UseHistory history = new UseHistory(promotion.promoteAfter(), promotion.windowMillis(), cpu.ticker());
            promoter = new GpuPromoter(host, gpu, promotion, history, moves, metrics, statistics, workers, files);
        }
        this.loads = new CopyLoads(host, disk, cpu, gpu, promoter, publisher, moves, files, workers, metrics,
                statistics);
        this.release = new ModelRelease(gpu == null ? List.of(cpu, disk) : List.of(gpu, cpu, disk), publisher, promoter, log);
    }

    public String host() {
        return host;
    }

    public CpuTier cpuTier() {
        return cpu;
    }

    public DiskTier diskTier() {
        return disk;
    }

    /** The GPU tier, if the host has one. */
    public Optional<GpuTier> gpuTier() {
        return Optional.ofNullable(gpu);
    }

    public AgentMetrics metrics() {
        return metrics;
    }

    /** What this host measures of its runs, loads and queue, published for placement. */
    public HostStatistics statistics() {
        return statistics;
    }

    /** Requests holding a model now. */
    public int inFlight() {
        return publisher.inFlight().get();
    }

    /**
     * Publishes the host (reachable at {@code endpoint}) and what its disk already holds, starts following the
     * catalogue (a model the registry deletes is evicted here) and the periodic in-flight refresh.
     */
    public Future<Void> start(String endpoint) {
        return workers.<Void>run(() -> {
            publisher.open(endpoint);
            publisher.refreshStats(statistics.snapshot(System.currentTimeMillis()));
            for (Resident r : disk.residents()) {
                publisher.residency(r.id(), TierLevel.DISK, ResidencyState.READY, r.bytes());
            }
            listening = directory.listen(new DirectoryListener() {
                @Override
                public void modelRemoved(ModelRecord model) {
                    forget(model.id());
                }
            });
            return null;
        }).onSuccess(v -> armTimers());
    }

    /**
     * From {@link #start} on, gives back this host's CPU and GPU copies that have gone unused for {@code idleMillis}
     * while another live host keeps the model in memory ({@link SpareCopyRelease}). Call before start.
     *
     * @param copies what other hosts hold, kept current without Hazelcast calls
     */
    public synchronized void giveBackSpareCopies(CopiesElsewhere copies, long idleMillis) {
        List<BudgetedTier<?>> memory = gpu == null ? List.of(cpu) : List.of(gpu, cpu);
        spares = new SpareCopyRelease(host, memory, copies, idleMillis, publisher, metrics, log);
    }

    /** Starts the periodic refresh, republication and spare-copy check, unless the host was stopped meanwhile. */
    private synchronized void armTimers() {
        timers.arm(host, publisher, statistics, spares);
    }

    /**
     * The first step of a stop: publishes nothing more and removes this host's records from the directory, so
     * placement sends it no new requests while those under way finish. Loads under way go on.
     */
    public Future<Void> withdraw() {
        timers.cancel();
        return workers.runLast(() -> {
            publisher.close();
            return null;
        });
    }

    /**
     * Withdraws ({@link #withdraw}), refuses new loads, waits at most {@code patience} for the loads, fetches and
     * promotions under way, then stops following the directory and closes every session and the GPU tier. Files
     * stay on disk.
     */
    public Future<Void> stop(Duration patience) {
        // The tiers close even when the directory cannot be told (lost, or shut down first); the stop still fails.
        return withdraw().transform(withdrawn -> workers.quiesce(patience)
                        .compose(left -> {
                            if (left > 0) {
                                LOG.warn("{}: {} loads still under way after {} s; closing the tiers anyway", host,
                                        left, patience.toSeconds());
                            }
                            return workers.<Void>runLast(() -> {
                                if (listening != null) {
                                    listening.close();
                                }
                                if (gpu != null) {
                                    gpu.close();
                                }
                                cpu.close();
                                disk.close();
                                metrics.close();
                                return null;
                            });
                        })
                        .compose(closed -> withdrawn.succeeded()
                                ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(withdrawn.cause())))
                .eventually(workers::close);
    }

    /** {@link #stop(Duration)} with 30 s for the loads under way. */
    public Future<Void> stop() {
        return stop(Duration.ofSeconds(30));
    }

    /** Looks the model up in the catalogue, then {@link #acquire(ModelRecord)}; unknown models fail as not registered. */
    public Future<Served> acquire(ModelId id) {
        return workers.<ModelRecord>run(() -> directory.model(id)
                        .orElseThrow(() -> TierException.notRegistered(id)))
                .compose(this::acquire);
    }

    /**
     * The model, loaded and held for one request until the {@link Served} is closed. A hit is answered at once on the
     * calling thread, which may be an event loop: tier lookups take no lock (a hit records itself on the resident's
     * counters, see {@link io.trims.agent.tier.BudgetedTier}), so hot models never wait for an eviction, a file
     * operation or cold loads on the worker pool.
     */
    public Future<Served> acquire(ModelRecord record) {
        return loads.acquire(record);
    }

    /**
     * Brings the model into the CPU tier (from disk, or object storage) without running it or counting a use of it;
     * completes once it is READY there, at once if it is there already. A repository load.
     */
    public Future<Void> preload(ModelRecord record) {
        return loads.preload(record);
    }

    /**
     * Lets the model go from every tier of this host ({@link ModelRelease}: a copy in use goes when it is let go);
     * its registration stays. Answers the tiers that held it. A repository unload.
     */
    public Future<List<TierLevel>> unload(ModelId id) {
        return workers.run(() -> release.release(id, TierLog.Cause.UNLOADED));
    }

    /** A tier let a model go: tell the directory, log and count it. Runs on the worker that caused it. */
    private void demoted(TierLevel tier, Resident resident) {
        log.left(tier, resident);
        publisher.removed(resident.id(), tier);
        metrics.eviction(tier.label());
        publisher.publishHost();
    }

    /** The registry deleted a model: let it go from every tier, each as soon as it is not in use. */
    private void forget(ModelId id) {
        workers.run(() -> {
            release.release(id, TierLog.Cause.DELETED);
            return null;
        });
    }
}
