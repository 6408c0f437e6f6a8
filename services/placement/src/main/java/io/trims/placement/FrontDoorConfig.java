package io.trims.placement;

import java.util.Map;

/**
 * Settings of the front door.
 *
 * @param maxRequestBytes  largest infer body accepted ({@code TRIMS_MAX_REQUEST_BYTES}, default 64 MiB); more is 413
 * @param forwardTimeoutMs how long an agent may stay silent on a forwarded request ({@code TRIMS_FORWARD_TIMEOUT_MS},
 *                         default 120000: a cold start fetches and loads the model first)
 */
public record FrontDoorConfig(long maxRequestBytes, long forwardTimeoutMs) {

    public static final long DEFAULT_MAX_REQUEST_BYTES = 64L << 20;
    public static final long DEFAULT_FORWARD_TIMEOUT_MS = 120_000;

    public FrontDoorConfig {
        if (maxRequestBytes <= 0) {
            throw new IllegalArgumentException("TRIMS_MAX_REQUEST_BYTES must be positive, got " + maxRequestBytes);
        }
        if (forwardTimeoutMs <= 0) {
            throw new IllegalArgumentException("TRIMS_FORWARD_TIMEOUT_MS must be positive, got " + forwardTimeoutMs);
        }
    }

    public static FrontDoorConfig defaults() {
        return new FrontDoorConfig(DEFAULT_MAX_REQUEST_BYTES, DEFAULT_FORWARD_TIMEOUT_MS);
    }

    public static FrontDoorConfig fromEnv(Map<String, String> env) {
        return new FrontDoorConfig(
                number(env, "TRIMS_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES),
                number(env, "TRIMS_FORWARD_TIMEOUT_MS", DEFAULT_FORWARD_TIMEOUT_MS));
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + value + "'", e);
        }
    }
}
