package io.trims.bench.sim.report;

import io.trims.bench.sim.Bounds;
import io.trims.bench.sim.SimResult;

import java.util.List;
import java.util.Locale;

/**
 * The results as CSV, one row per workload and policy pair (placement {@code pooled}: the eviction policy alone on one
 * cache of the cluster's capacity, requests one at a time, as the bounds are computed), then the bounds of each workload as rows whose
 * placement is {@code bound} and whose eviction is {@code belady-min} or {@code infinite} (only their hit ratios,
 * cold-start ratio and bytes are filled in). Every ratio is a fraction of all requests; tier ratios say where
 * requests found their model on arrival and sum with the cold-start ratio to 1. Columns:
 * {@value #HEADER}.
 */
public final class CsvReport {

    static final String HEADER = "workload,placement,eviction,requests,gpu_hit_ratio,cpu_hit_ratio,disk_hit_ratio,"
            + "cold_start_ratio,memory_hit_ratio,failed_ratio,bytes_fetched,load_delay_mean_ms,load_delay_p99_ms,"
            + "latency_mean_ms,latency_p99_ms";

    private CsvReport() {
    }

    public static String csv(List<WorkloadRuns> runs) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (WorkloadRuns w : runs) {
            for (SimResult r : w.results()) {
                csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%d,%.3f,%.3f,%.3f,%.3f%n",
                        r.workload(), r.placement(), r.eviction(), r.requests(), r.ratio(r.servedGpu()),
                        r.ratio(r.servedCpu()), r.ratio(r.servedDisk()), r.coldStartRatio(), 1 - r.memoryMissRatio(),
                        r.ratio(r.failed()), r.bytesFetched(), r.loadDelayMeanMs(), r.loadDelayP99Ms(),
                        r.latencyMeanMs(), r.latencyP99Ms()));
            }
        }
        for (WorkloadRuns w : runs) {
            Bounds b = w.experiment().bounds();
            String name = w.experiment().trace().name();
            csv.append(bound(name, "belady-min", b.memory().requests(), b.memory().missRatio(),
                    b.hostTiers().missRatio(), b.hostTiers().bytesLoaded()));
            csv.append(bound(name, "infinite", b.infinite().requests(), b.infinite().missRatio(),
                    b.infinite().missRatio(), b.infinite().bytesLoaded()));
        }
        return csv.toString();
    }

    private static String bound(String workload, String kind, long requests, double memoryMiss, double coldStart,
                                long bytes) {
        return String.format(Locale.ROOT, "%s,bound,%s,%d,,,,%.6f,%.6f,,%d,,,,%n", workload, kind, requests, coldStart,
                1 - memoryMiss, bytes);
    }
}
