package io.trims.bench.sim;

import io.trims.agent.tier.TierException;

import java.util.Map;

/**
 * The figures of one simulated run of a workload under one placement and one eviction policy. Counts are over all
 * requests; {@code served*} say where each request found its model on arrival (the {@code trims-tier} header).
 *
 * @param failures        requests the agent would have answered with an error, by why: busy (503, room held by
 *                        models in use or by other loads) or too big (507)
 * @param delayedHits     misses that found their model being loaded on their host and joined that load: a hit in a
 *                        cache without load times, such as MIN's
 * @param loadDelayMeanMs time requests waited for a load (0 for a hit), over answered requests
 * @param meanCpuCopies   CPU-tier copies of the requested model in the cluster when a request was placed, on average
 * @param workersBusy     fraction of the cluster's worker time spent running, over the simulated span
 * @param loadThreadsBusy fraction of the cluster's load-thread time spent fetching, loading or promoting
 * @param wallSeconds     how long the simulation itself took to run, and {@code cpuSeconds} of which on its thread
 */
public record SimResult(String workload, String placement, String eviction, long requests, long servedGpu,
                        long servedCpu, long servedDisk, long servedRemote, Map<TierException.Kind, Long> failures, long delayedHits, long fetches,
                        long bytesFetched, long evictionsGpu, long evictionsCpu, long evictionsDisk, long promotions,
                        double loadDelayMeanMs, double loadDelayP99Ms, double latencyMeanMs, double latencyP99Ms,
                        double meanCpuCopies, double workersBusy, double loadThreadsBusy, double wallSeconds,
                        double cpuSeconds) {

    public SimResult {
        failures = Map.copyOf(failures);
    }

    /** The same figures under another placement label. */
    public SimResult as(String placementLabel) {
        return new SimResult(workload, placementLabel, eviction, requests, servedGpu, servedCpu, servedDisk,
                servedRemote, failures, delayedHits, fetches, bytesFetched, evictionsGpu, evictionsCpu, evictionsDisk, promotions,
                loadDelayMeanMs, loadDelayP99Ms, latencyMeanMs, latencyP99Ms, meanCpuCopies, workersBusy,
                loadThreadsBusy, wallSeconds, cpuSeconds);
    }

    public long failed() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    public double ratio(long count) {
        return requests == 0 ? 0 : (double) count / requests;
    }

    /** Requests that found their model in neither the GPU nor the CPU tier of their host. */
    public double memoryMissRatio() {
        return ratio(servedDisk + servedRemote);
    }

    /** Requests whose model came from object storage. */
    public double coldStartRatio() {
        return ratio(servedRemote);
    }
}
