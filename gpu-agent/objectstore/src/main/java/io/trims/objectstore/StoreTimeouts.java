package io.trims.objectstore;

import java.time.Duration;
import java.util.Map;

/**
 * How long a call to object storage may take before it counts as failed, so a down or stalled store fails a request
 * in seconds instead of holding it until the front door gives up. The read timeout is an idle bound (no byte for that
 * long), so a large model that keeps arriving is never cut; the call timeout bounds a whole call and is off (0) by
 * default for the same reason.
 *
 * @param connectMillis connecting to the store
 * @param readMillis    longest wait for the next byte of a response
 * @param writeMillis   longest wait to send the next byte of a request (an upload)
 * @param callMillis    a whole call, response body included; 0 for no bound
 */
public record StoreTimeouts(long connectMillis, long readMillis, long writeMillis, long callMillis) {

    public static final StoreTimeouts DEFAULTS = new StoreTimeouts(3_000, 15_000, 15_000, 0);

    public StoreTimeouts {
        if (connectMillis < 1 || readMillis < 1 || writeMillis < 1 || callMillis < 0) {
            throw new IllegalArgumentException("object store timeouts must be positive (the call timeout may be 0: "
                    + "none), not connect " + connectMillis + ", read " + readMillis + ", write " + writeMillis
                    + ", call " + callMillis + " ms");
        }
    }

    /**
     * Reads TRIMS_S3_CONNECT_TIMEOUT_MS (3000), TRIMS_S3_READ_TIMEOUT_MS (15000), TRIMS_S3_WRITE_TIMEOUT_MS (15000)
     * and TRIMS_S3_CALL_TIMEOUT_MS (0: none).
     */
    public static StoreTimeouts fromEnv(Map<String, String> env) {
        return new StoreTimeouts(
                millis(env, "TRIMS_S3_CONNECT_TIMEOUT_MS", DEFAULTS.connectMillis),
                millis(env, "TRIMS_S3_READ_TIMEOUT_MS", DEFAULTS.readMillis),
                millis(env, "TRIMS_S3_WRITE_TIMEOUT_MS", DEFAULTS.writeMillis),
                millis(env, "TRIMS_S3_CALL_TIMEOUT_MS", DEFAULTS.callMillis));
    }

    public Duration connect() {
        return Duration.ofMillis(connectMillis);
    }

    public Duration read() {
        return Duration.ofMillis(readMillis);
    }

    public Duration write() {
        return Duration.ofMillis(writeMillis);
    }

    public Duration call() {
        return Duration.ofMillis(callMillis);
    }

    private static long millis(Map<String, String> env, String key, long fallback) {
        String value = env.get(key);
        try {
            return value == null || value.isBlank() ? fallback : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number of milliseconds, not '" + value + "'", e);
        }
    }
}
