package io.trims.agent.tier;

/**
 * The GPU tier's byte budget: an explicit budget when one is given, else the device memory free when the agent
 * starts minus a headroom (kept for the CUDA context's own growth, kernels' scratch, other processes). Never more
 * than was free: the budget is a promise the device must be able to keep.
 */
public final class GpuBudget {

    private GpuBudget() {
    }

    /**
     * @param freeAtStart    free device memory when the agent starts
     * @param explicitBytes  the configured budget, or a negative number for none
     * @param headroomBytes  what to leave free when deriving the budget
     */
    public static long of(long freeAtStart, long explicitBytes, long headroomBytes) {
        if (freeAtStart < 0 || headroomBytes < 0) {
            throw new IllegalArgumentException("free memory and headroom must not be negative");
        }
        if (explicitBytes >= 0) {
            return Math.min(explicitBytes, freeAtStart);
        }
        return Math.max(0, freeAtStart - headroomBytes);
    }
}
