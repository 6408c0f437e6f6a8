package io.trims.agent;

import java.util.Locale;
import java.util.Map;

/**
 * How the agent uses a GPU.
 *
 * @param enabled         {@code auto} (the tier exists when a GPU is found), {@code true} (start fails without
 *                        one) or {@code false} (never)
 * @param budgetBytes     the GPU tier's budget, or -1 to derive it: free device memory at start minus the headroom
 * @param headroomBytes   device memory left free when the budget is derived
 * @param promoteWindowMs how far back uses count towards promotion
 * @param promoteAfter    uses within the window that promote a model from CPU to GPU
 */
public record GpuSettings(String enabled, long budgetBytes, long headroomBytes, long promoteWindowMs, int promoteAfter) {

    public static final String AUTO = "auto";

    public GpuSettings {
        enabled = enabled.trim().toLowerCase(Locale.ROOT);
        if (!enabled.equals(AUTO) && !enabled.equals("true") && !enabled.equals("false")) {
            throw new IllegalArgumentException("TRIMS_GPU_ENABLED must be auto, true or false, not '" + enabled + "'");
        }
        if (headroomBytes < 0) {
            throw new IllegalArgumentException("TRIMS_GPU_HEADROOM_BYTES must not be negative");
        }
        if (promoteWindowMs < 1 || promoteAfter < 1) {
            throw new IllegalArgumentException("TRIMS_GPU_PROMOTE_WINDOW_MS and TRIMS_GPU_PROMOTE_AFTER must be positive");
        }
    }

    /**
     * Reads TRIMS_GPU_ENABLED (auto), TRIMS_GPU_BUDGET_BYTES (derived), TRIMS_GPU_HEADROOM_BYTES (1 GiB),
     * TRIMS_GPU_PROMOTE_WINDOW_MS (60000), TRIMS_GPU_PROMOTE_AFTER (2).
     */
    public static GpuSettings fromEnv(Map<String, String> env) {
        return new GpuSettings(
                env.getOrDefault("TRIMS_GPU_ENABLED", AUTO),
                AgentConfig.longOf(env, "TRIMS_GPU_BUDGET_BYTES", -1),
                AgentConfig.longOf(env, "TRIMS_GPU_HEADROOM_BYTES", AgentConfig.GIB),
                AgentConfig.longOf(env, "TRIMS_GPU_PROMOTE_WINDOW_MS", 60_000),
                AgentConfig.intOf(env, "TRIMS_GPU_PROMOTE_AFTER", 2));
    }

    /** Whether the GPU tier may be built: not when disabled. */
    public boolean allowed() {
        return !enabled.equals("false");
    }

    /** Whether the agent must refuse to start without a GPU tier. */
    public boolean required() {
        return enabled.equals("true");
    }
}
