package io.trims.policy.placement;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;
import io.trims.directory.HostStats;
import io.trims.directory.ModelId;
import io.trims.directory.ResidencyState;
import io.trims.directory.RunTime;
import io.trims.directory.TierLevel;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The cost model of placement: when one request would finish on a host, from what the hosts measured
 * ({@link HostStats}) and what the directory and the asking front door know about the model's copies.
 *
 * <p>finish = wait + load + run, where
 * <ul>
 *     <li>wait = requests ahead beyond the host's free workers × the host's mean run time / its concurrent runs;
 *     the requests ahead are the larger of what the host published and what this front door has in flight there
 *     (the host's figure lags by up to one publication period);</li>
 *     <li>load = 0 for a READY copy in GPU or CPU memory, bytes / measured disk-load rate from the disk tier,
 *     bytes / fetch rate + bytes / disk-load rate on a miss; a copy being loaded (LOADING in the directory, or a
 *     miss this front door sent there) costs what is left of its load, so it counts as a holder: a burst waits for
 *     one load instead of starting one per host;</li>
 *     <li>run = the model's mean run time on that host in the tier it will run in.</li>
 * </ul>
 * A figure the host has not measured is taken from the other hosts' mean, and where none measured it, from a
 * prior (a disk-load of 100 MB/s, a fetch of 200 MB/s, a run of 0.1 ns per model byte): estimates start rough
 * and become the hosts' own figures as they serve.
 */
public final class CompletionTime {

    static final double PRIOR_FETCH_BYTES_PER_SECOND = 200e6;
    static final double PRIOR_DISK_LOAD_BYTES_PER_SECOND = 100e6;
    static final double PRIOR_GPU_LOAD_BYTES_PER_SECOND = 1e9;
    static final double PRIOR_RUN_NANOS_PER_BYTE = 0.1;
    /** A run is never estimated below this, so that an unmeasured tiny model still queues. */
    static final long MIN_RUN_NANOS = 100_000;

    private final DirectorySnapshot snapshot;
    private final PlacementRequest request;
    private final Map<String, List<Candidates.Holder>> holdersByHost;
    /** The other hosts' mean run time of the model per tier, -1 where none measured it; filled once per request. */
    private final Map<TierLevel, Long> clusterRunNanos = new EnumMap<>(TierLevel.class);
    private final double clusterFetchRate;
    private final double clusterDiskRate;
    private final double clusterGpuRate;

    private CompletionTime(DirectorySnapshot snapshot, PlacementRequest request) {
        this.snapshot = snapshot;
        this.request = request;
        this.holdersByHost = Candidates.holders(snapshot, request).stream()
                .collect(Collectors.groupingBy(h -> h.host().host()));
        Collection<HostStats> all = snapshot.stats().values();
        this.clusterFetchRate = meanMeasured(all, HostStats::fetchBytesPerSecond, PRIOR_FETCH_BYTES_PER_SECOND);
        this.clusterDiskRate = meanMeasured(all, HostStats::diskLoadBytesPerSecond, PRIOR_DISK_LOAD_BYTES_PER_SECOND);
        this.clusterGpuRate = meanMeasured(all, HostStats::gpuLoadBytesPerSecond, PRIOR_GPU_LOAD_BYTES_PER_SECOND);
    }

    /** The cost model for one request over one snapshot. */
    public static CompletionTime of(DirectorySnapshot snapshot, PlacementRequest request) {
        return new CompletionTime(snapshot, request);
    }

    /** The estimate for a host of the snapshot; empty if the snapshot does not know it. */
    public Optional<Estimate> estimate(String host) {
        return snapshot.host(host).map(this::estimate);
    }

    Estimate estimate(HostRecord host) {
        Optional<HostStats> stats = snapshot.stats(host.host());
        Optional<Estimate> best = Optional.empty();
        for (Candidates.Holder holder : holdersByHost.getOrDefault(host.host(), List.of())) {
            Estimate held = held(host, stats, holder);
            if (best.isEmpty() || held.totalNanos() < best.get().totalNanos()) {
                best = Optional.of(held);
            }
        }
        return best.orElseGet(() -> miss(host, stats));
    }

    private Estimate held(HostRecord host, Optional<HostStats> stats, Candidates.Holder holder) {
        TierLevel tier = holder.copy().tier();
        TierLevel runsIn = tier == TierLevel.GPU ? TierLevel.GPU : TierLevel.CPU;
        long bytes = bytes(holder.copy().bytes());
        boolean ready = holder.copy().state() == ResidencyState.READY;
        long load = switch (tier) {
            case GPU -> ready ? 0 : remaining(nanos(bytes, gpuRate(stats)), holder.copy().loadedAtMillis());
            case CPU -> ready ? 0 : remaining(diskLoad(bytes, stats) + (onDisk(host) ? 0 : fetch(bytes, stats)),
                    holder.copy().loadedAtMillis());
            case DISK -> diskLoad(bytes, stats) + (ready ? 0
                    : remaining(fetch(bytes, stats), holder.copy().loadedAtMillis()));
        };
        long run = run(host, stats, runsIn, bytes);
        boolean holds = tier != TierLevel.DISK || !ready;
        return new Estimate(host.host(), Optional.of(tier), holds, wait(host, stats, run), load, run);
    }

    private Estimate miss(HostRecord host, Optional<HostStats> stats) {
        long bytes = bytes(0);
        long full = fetch(bytes, stats) + diskLoad(bytes, stats);
        Optional<Long> sent = request.dispatched().missSentTo(host.host());
        long load = sent.map(at -> remaining(full, at)).orElse(full);
        long run = run(host, stats, TierLevel.CPU, bytes);
        return new Estimate(host.host(), Optional.empty(), sent.isPresent(), wait(host, stats, run), load, run);
    }

    private boolean onDisk(HostRecord host) {
        return holdersByHost.getOrDefault(host.host(), List.of()).stream()
                .anyMatch(h -> h.copy().tier() == TierLevel.DISK && h.copy().state() == ResidencyState.READY);
    }

    /** Queueing behind the requests ahead that the host's workers cannot start at once. */
    private long wait(HostRecord host, Optional<HostStats> stats, long modelRun) {
        int concurrency = Math.max(1, stats.map(HostStats::concurrency).orElse(1));
        int ahead = Math.max(request.dispatched().requestsTo(host.host()),
                Math.max(host.inFlight(), stats.map(HostStats::busy).orElse(0)));
        int queued = ahead - concurrency + 1;
        if (queued <= 0) {
            return 0;
        }
        long meanRun = stats.map(HostStats::meanRunNanos).filter(n -> n > 0).orElse(modelRun);
        return queued * meanRun / concurrency;
    }

    private long run(HostRecord host, Optional<HostStats> stats, TierLevel tier, long bytes) {
        ModelId model = request.model();
        Optional<Long> own = stats.flatMap(s -> s.runTime(model, tier)).map(RunTime::meanNanos);
        long measured = own.orElseGet(() -> clusterRunNanos.computeIfAbsent(tier, t -> (long) snapshot.stats()
                .values().stream()
                .flatMap(s -> s.runTime(model, t).stream())
                .mapToLong(RunTime::meanNanos).average().orElse(-1)));
        if (measured < 0 && tier == TierLevel.GPU) {
            return run(host, stats, TierLevel.CPU, bytes);
        }
        return Math.max(MIN_RUN_NANOS, measured >= 0 ? measured : (long) (bytes * PRIOR_RUN_NANOS_PER_BYTE));
    }

    private long fetch(long bytes, Optional<HostStats> stats) {
        return nanos(bytes, stats.map(HostStats::fetchBytesPerSecond).filter(r -> r > 0).orElse(clusterFetchRate));
    }

    private long diskLoad(long bytes, Optional<HostStats> stats) {
        return nanos(bytes, stats.map(HostStats::diskLoadBytesPerSecond).filter(r -> r > 0).orElse(clusterDiskRate));
    }

    private double gpuRate(Optional<HostStats> stats) {
        return stats.map(HostStats::gpuLoadBytesPerSecond).filter(r -> r > 0).orElse(clusterGpuRate);
    }

    /** The registered size; where it is unknown (0), what the copy holds. */
    private long bytes(long copyBytes) {
        return request.modelBytes() > 0 ? request.modelBytes() : copyBytes;
    }

    /** What is left of a load of {@code nanos} that started at {@code startedAtMillis}. */
    private long remaining(long nanos, long startedAtMillis) {
        long elapsed = Math.max(0, snapshot.takenAtMillis() - startedAtMillis) * 1_000_000L;
        return Math.max(0, nanos - elapsed);
    }

    private static long nanos(long bytes, double bytesPerSecond) {
        return (long) (bytes / bytesPerSecond * 1e9);
    }

    private static double meanMeasured(Collection<HostStats> all, ToDoubleFunction<HostStats> rate, double prior) {
        return all.stream().mapToDouble(rate).filter(r -> r > 0).average().orElse(prior);
    }
}
