package io.trims.agent;

import io.trims.agent.tier.FetchRetry;

import java.util.Map;

/**
 * How the agent uses object storage (the connection's own timeouts are the store's: StoreTimeouts).
 *
 * @param retry        how often a fetch is tried before the request is given up
 * @param probeMillis  how often the agent asks whether the store answers, for readiness
 */
public record StoreSettings(FetchRetry retry, long probeMillis) {

    public StoreSettings {
        if (probeMillis < 1) {
            throw new IllegalArgumentException("TRIMS_S3_PROBE_MS must be positive, not " + probeMillis);
        }
    }

    /** Reads TRIMS_FETCH_ATTEMPTS (2), TRIMS_FETCH_BACKOFF_MS (250), TRIMS_S3_PROBE_MS (5000). */
    public static StoreSettings fromEnv(Map<String, String> env) {
        return new StoreSettings(
                new FetchRetry(AgentConfig.intOf(env, "TRIMS_FETCH_ATTEMPTS", FetchRetry.DEFAULTS.attempts()),
                        AgentConfig.longOf(env, "TRIMS_FETCH_BACKOFF_MS", FetchRetry.DEFAULTS.backoffMillis())),
                AgentConfig.longOf(env, "TRIMS_S3_PROBE_MS", 5_000));
    }
}
