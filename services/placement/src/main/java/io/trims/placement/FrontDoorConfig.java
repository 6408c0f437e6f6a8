package io.trims.placement;

import io.trims.protocol.EnvNumbers;

import java.util.Map;

/**
 * Settings of the front door.
 *
 * @param maxRequestBytes       largest infer body accepted ({@code TRIMS_MAX_REQUEST_BYTES}, default 64 MiB); more is 413
 * @param forwardTimeoutMs      the longest an agent may stay silent on a forwarded request
 *                              ({@code TRIMS_FORWARD_TIMEOUT_MS}, default 120000: a cold start fetches and loads the
 *                              model first)
 * @param forwardTimeoutFloorMs the shortest it is given ({@code TRIMS_FORWARD_TIMEOUT_MIN_MS}, default 30000)
 * @param forwardTimeoutFactor  between those two, the wait is this many times the time placement predicts for the
 *                              request on the chosen host ({@code TRIMS_FORWARD_TIMEOUT_FACTOR}, default 10); a
 *                              request's own deadline shortens it further
 */
public record FrontDoorConfig(long maxRequestBytes, long forwardTimeoutMs, long forwardTimeoutFloorMs,
                              double forwardTimeoutFactor) {

    public static final long DEFAULT_MAX_REQUEST_BYTES = 64L << 20;
    public static final long DEFAULT_FORWARD_TIMEOUT_MS = 120_000;
    public static final long DEFAULT_FORWARD_TIMEOUT_FLOOR_MS = 30_000;
    public static final double DEFAULT_FORWARD_TIMEOUT_FACTOR = 10;

    public FrontDoorConfig {
        if (maxRequestBytes <= 0) {
            throw new IllegalArgumentException("TRIMS_MAX_REQUEST_BYTES must be positive, got " + maxRequestBytes);
        }
        if (forwardTimeoutMs <= 0) {
            throw new IllegalArgumentException("TRIMS_FORWARD_TIMEOUT_MS must be positive, got " + forwardTimeoutMs);
        }
        if (forwardTimeoutFloorMs <= 0 || !(forwardTimeoutFactor > 0)) {
            throw new IllegalArgumentException("TRIMS_FORWARD_TIMEOUT_MIN_MS and TRIMS_FORWARD_TIMEOUT_FACTOR must be "
                    + "positive, got " + forwardTimeoutFloorMs + " and " + forwardTimeoutFactor);
        }
    }

    /** A fixed forward timeout: the floor is the timeout itself. */
    public FrontDoorConfig(long maxRequestBytes, long forwardTimeoutMs) {
        this(maxRequestBytes, forwardTimeoutMs, forwardTimeoutMs, DEFAULT_FORWARD_TIMEOUT_FACTOR);
    }

    public static FrontDoorConfig defaults() {
        return new FrontDoorConfig(DEFAULT_MAX_REQUEST_BYTES, DEFAULT_FORWARD_TIMEOUT_MS,
                DEFAULT_FORWARD_TIMEOUT_FLOOR_MS, DEFAULT_FORWARD_TIMEOUT_FACTOR);
    }

    public static FrontDoorConfig fromEnv(Map<String, String> env) {
        long timeout = EnvNumbers.whole(env, "TRIMS_FORWARD_TIMEOUT_MS", DEFAULT_FORWARD_TIMEOUT_MS);
        String factor = env.get("TRIMS_FORWARD_TIMEOUT_FACTOR");
        double parsedFactor;
        try {
            parsedFactor = factor == null || factor.isBlank() ? DEFAULT_FORWARD_TIMEOUT_FACTOR : Double.parseDouble(factor.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("TRIMS_FORWARD_TIMEOUT_FACTOR must be a number, got '" + factor + "'", e);
        }
        return new FrontDoorConfig(
                EnvNumbers.whole(env, "TRIMS_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES),
                timeout,
                EnvNumbers.whole(env, "TRIMS_FORWARD_TIMEOUT_MIN_MS", Math.min(timeout, DEFAULT_FORWARD_TIMEOUT_FLOOR_MS)),
                parsedFactor);
    }

    /**
     * How long to wait on a forwarded request: the predicted time scaled, within the floor and the maximum, and
     * never past what is left of the request's deadline.
     *
     * @param remainingMs what is left of the request's deadline; {@link Long#MAX_VALUE} when it has none
     */
    long forwardTimeoutMs(double predictedMs, long remainingMs) {
        long scaled = (long) Math.min(forwardTimeoutMs, Math.max(forwardTimeoutFloorMs, predictedMs * forwardTimeoutFactor));
        return Math.max(1, Math.min(scaled, remainingMs));
    }
}
