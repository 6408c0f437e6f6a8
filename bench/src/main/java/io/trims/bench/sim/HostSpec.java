package io.trims.bench.sim;

import io.trims.policy.promotion.PromotionPolicy;

/**
 * One simulated host: its workers, its tier budgets and how fast it moves bytes. A GPU budget of 0 is a host
 * without a GPU tier.
 *
 * @param workers     inference runs at once (the agent's inference workers)
 * @param loadThreads fetches, loads and promotions at once (the agent's load workers); each fetch or load runs at the
 *                    full rate below, so these bound how many share the host's bandwidth
 */
public record HostSpec(int workers, int loadThreads, long gpuBytes, long cpuBytes, long diskBytes,
                       double fetchBytesPerSecond, double diskLoadBytesPerSecond, double gpuLoadBytesPerSecond,
                       PromotionPolicy promotion) {

    public HostSpec {
        if (workers < 1 || loadThreads < 1 || cpuBytes < 1 || diskBytes < 1 || gpuBytes < 0) {
            throw new IllegalArgumentException("a host needs workers, load threads and CPU and disk tiers");
        }
        if (fetchBytesPerSecond <= 0 || diskLoadBytesPerSecond <= 0 || gpuLoadBytesPerSecond <= 0) {
            throw new IllegalArgumentException("throughputs must be positive");
        }
    }

    public boolean hasGpu() {
        return gpuBytes > 0;
    }

    long fetchNanos(long bytes) {
        return nanos(bytes, fetchBytesPerSecond);
    }

    /** Disk tier to CPU tier: reading the file and building the session. */
    public long diskLoadNanos(long bytes) {
        return nanos(bytes, diskLoadBytesPerSecond);
    }

    long gpuLoadNanos(long bytes) {
        return nanos(bytes, gpuLoadBytesPerSecond);
    }

    private static long nanos(long bytes, double perSecond) {
        return Math.max(1, Math.round(bytes / perSecond * 1e9));
    }
}
