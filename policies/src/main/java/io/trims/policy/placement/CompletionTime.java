package io.trims.policy.placement;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;
import io.trims.directory.HostStats;
import io.trims.directory.ResidencyState;
import io.trims.directory.RunTime;
import io.trims.directory.TierLevel;

import java.util.Arrays;
import java.util.Collection;
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
    private static final long UNSET = Long.MIN_VALUE;

    private final DirectorySnapshot snapshot;
    private final PlacementRequest request;
    private final Map<String, List<Candidates.Holder>> holdersByHost;
    /**
     * The other hosts' mean run time of the model per tier (by ordinal), -1 where none measured it, {@link #UNSET}
     * until first needed; filled once per request.
     */
    private final long[] clusterRunNanos = new long[TierLevel.values().length];
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
        Arrays.fill(clusterRunNanos, UNSET);
    }

    /** The cost model for one request over one snapshot. */
    public static CompletionTime of(DirectorySnapshot snapshot, PlacementRequest request) {
        return new CompletionTime(snapshot, request);
    }

    /** The estimate for a host of the snapshot; empty if the snapshot does not know it. */
    public Optional<Estimate> estimate(String host) {
        return snapshot.host(host).map(this::estimate);
    }

    /**
     * Called for every host of every request, so written without streams or optionals: {@code stats} is null for a
     * host that published none.
     */
    Estimate estimate(HostRecord host) {
        HostStats stats = snapshot.stats().get(host.host());
        Estimate best = null;
        List<Candidates.Holder> holders = holdersOn(host);
        for (int i = 0; i < holders.size(); i++) {
            Estimate held = held(host, stats, holders.get(i));
            if (best == null || held.totalNanos() < best.totalNanos()) {
                best = held;
            }
        }
        return best != null ? best : miss(host, stats);
    }

    private List<Candidates.Holder> holdersOn(HostRecord host) {
        return holdersByHost.getOrDefault(host.host(), List.of());
    }

    private Estimate held(HostRecord host, HostStats stats, Candidates.Holder holder) {
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

    private Estimate miss(HostRecord host, HostStats stats) {
        long bytes = bytes(0);
        long full = fetch(bytes, stats) + diskLoad(bytes, stats);
        Long sentAt = request.dispatched().missesSentAtMillis().get(host.host());
        long load = sentAt != null ? remaining(full, sentAt) : full;
        long run = run(host, stats, TierLevel.CPU, bytes);
        return new Estimate(host.host(), Optional.empty(), sentAt != null, wait(host, stats, run), load, run);
    }

    private boolean onDisk(HostRecord host) {
        List<Candidates.Holder> holders = holdersOn(host);
        for (int i = 0; i < holders.size(); i++) {
            Candidates.Holder h = holders.get(i);
            if (h.copy().tier() == TierLevel.DISK && h.copy().state() == ResidencyState.READY) {
                return true;
            }
        }
        return false;
    }

    /** Queueing behind the requests ahead that the host's workers cannot start at once. */
    private long wait(HostRecord host, HostStats stats, long modelRun) {
        int concurrency = Math.max(1, stats == null ? 1 : stats.concurrency());
        int ahead = Math.max(request.dispatched().requestsTo(host.host()),
                Math.max(host.inFlight(), stats == null ? 0 : stats.busy()));
        int queued = ahead - concurrency + 1;
        if (queued <= 0) {
            return 0;
        }
        long meanRun = stats != null && stats.meanRunNanos() > 0 ? stats.meanRunNanos() : modelRun;
        return queued * meanRun / concurrency;
    }

    private long run(HostRecord host, HostStats stats, TierLevel tier, long bytes) {
        Optional<RunTime> own = stats == null ? Optional.empty() : stats.runTime(request.model(), tier);
        long measured = own.isPresent() ? own.get().meanNanos() : clusterRunNanos(tier);
        if (measured < 0 && tier == TierLevel.GPU) {
            return run(host, stats, TierLevel.CPU, bytes);
        }
        return Math.max(MIN_RUN_NANOS, measured >= 0 ? measured : (long) (bytes * PRIOR_RUN_NANOS_PER_BYTE));
    }

    /** The mean of the hosts' own run times of the model in {@code tier}, -1 where none measured it. */
    private long clusterRunNanos(TierLevel tier) {
        if (clusterRunNanos[tier.ordinal()] == UNSET) {
            long sum = 0;
            int hosts = 0;
            for (HostStats s : snapshot.stats().values()) {
                Optional<RunTime> own = s.runTime(request.model(), tier);
                if (own.isPresent()) {
                    sum += own.get().meanNanos();
                    hosts++;
                }
            }
            clusterRunNanos[tier.ordinal()] = hosts == 0 ? -1 : (long) ((double) sum / hosts);
        }
        return clusterRunNanos[tier.ordinal()];
    }

    private long fetch(long bytes, HostStats stats) {
        return nanos(bytes, stats != null && stats.fetchBytesPerSecond() > 0 ? stats.fetchBytesPerSecond()
                : clusterFetchRate);
    }

    private long diskLoad(long bytes, HostStats stats) {
        return nanos(bytes, stats != null && stats.diskLoadBytesPerSecond() > 0 ? stats.diskLoadBytesPerSecond()
                : clusterDiskRate);
    }

    private double gpuRate(HostStats stats) {
        return stats != null && stats.gpuLoadBytesPerSecond() > 0 ? stats.gpuLoadBytesPerSecond() : clusterGpuRate;
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
