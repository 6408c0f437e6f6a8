package io.trims.bench.sim;

import io.trims.bench.sim.workload.SimModel;
import io.trims.directory.HostStats;
import io.trims.directory.RunTime;
import io.trims.directory.TierLevel;

import java.util.List;

/**
 * What a simulated host measures about itself for placement's cost model, as {@link HostStats} describes: mean run
 * times (exponentially weighted, recent runs weighing most), per model and tier, and the rates of its fetches and
 * loads (0 until it has made one).
 */
final class HostMeter {

    /** Weight of the newest sample in each moving mean. */
    private static final double NEWEST = 0.2;

    private final RunTime[] cpuRuns;
    private final RunTime[] gpuRuns;
    private double meanRunNanos;
    private double fetchBytesPerSecond;
    private double diskLoadBytesPerSecond;
    private double gpuLoadBytesPerSecond;

    HostMeter(int models) {
        cpuRuns = new RunTime[models];
        gpuRuns = new RunTime[models];
    }

    void ran(SimModel model, TierLevel tier, long nanos) {
        meanRunNanos = meanRunNanos == 0 ? nanos : moved(meanRunNanos, nanos);
        RunTime[] runs = tier == TierLevel.GPU ? gpuRuns : cpuRuns;
        RunTime before = runs[model.index()];
        runs[model.index()] = before == null
                ? new RunTime(model.id().name(), model.id().version(), tier, nanos, 1)
                : new RunTime(before.model(), before.version(), tier, Math.round(moved(before.meanNanos(), nanos)),
                before.runs() + 1);
    }

    void fetched(long bytes, long nanos) {
        fetchBytesPerSecond = rate(fetchBytesPerSecond, bytes, nanos);
    }

    void loadedFromDisk(long bytes, long nanos) {
        diskLoadBytesPerSecond = rate(diskLoadBytesPerSecond, bytes, nanos);
    }

    void loadedOntoGpu(long bytes, long nanos) {
        gpuLoadBytesPerSecond = rate(gpuLoadBytesPerSecond, bytes, nanos);
    }

    /** True when the host has run the model, so its stats carry a run time for it. */
    boolean ran(int model) {
        return cpuRuns[model] != null || gpuRuns[model] != null;
    }

    /** @param model whose run times to include (a snapshot carries only the requested model's), or -1 for none */
    HostStats stats(String host, int concurrency, int running, int queued, int model, long nowMillis) {
        RunTime gpu = model < 0 ? null : gpuRuns[model];
        RunTime cpu = model < 0 ? null : cpuRuns[model];
        List<RunTime> runTimes = gpu == null ? cpu == null ? List.of() : List.of(cpu)
                : cpu == null ? List.of(gpu) : List.of(gpu, cpu);
        return new HostStats(host, concurrency, running, queued, Math.round(meanRunNanos), fetchBytesPerSecond,
                diskLoadBytesPerSecond, gpuLoadBytesPerSecond, runTimes, nowMillis);
    }

    private static double rate(double before, long bytes, long nanos) {
        double now = bytes * 1e9 / Math.max(1, nanos);
        return before == 0 ? now : moved(before, now);
    }

    private static double moved(double mean, double sample) {
        return mean + NEWEST * (sample - mean);
    }
}
