package io.trims.protocol.auth;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of authentication, read from the environment of a services process.
 *
 * @param open              what needs no key: {@code none}, or {@code reads} (reads and inference; writes always need a key)
 * @param keys              the accepted keys: TRIMS_API_KEYS_FILE's lines and the admin key
 * @param metricsKey        the scrape credential TRIMS_METRICS_KEY, hashed, which grants {@code /metrics} only;
 *                          empty when unset
 * @param tenantRps         requests per second a tenant may send (TRIMS_TENANT_RPS; 0: no limit)
 * @param tenantBytes       bytes of models a tenant may have registered (TRIMS_TENANT_BYTES; 0: no limit)
 * @param generatedAdminKey the admin key made up at start because TRIMS_ADMIN_KEY was unset, to be printed once;
 *                          null when it was set
 */
public record AuthConfig(Open open, ApiKeys keys, ApiKeys metricsKey, long tenantRps, long tenantBytes,
                         String generatedAdminKey) {

    public enum Open { NONE, READS }

    public static final long DEFAULT_TENANT_RPS = 1_000;
    public static final long DEFAULT_TENANT_BYTES = 10L << 30;
    /** The name the metrics key's entry carries; it is never a caller (see {@link Auth.Need#METRICS}). */
    private static final String METRICS_TENANT = "metrics";

    /**
     * TRIMS_AUTH_OPEN (default {@code none}; the embedded cluster on loopback defaults it to {@code reads}),
     * TRIMS_API_KEYS_FILE, TRIMS_ADMIN_KEY (a fresh one when unset), TRIMS_METRICS_KEY (none when unset),
     * TRIMS_TENANT_RPS, TRIMS_TENANT_BYTES.
     */
    public static AuthConfig fromEnv(Map<String, String> env) {
        String admin = env.get("TRIMS_ADMIN_KEY");
        String generated = admin == null || admin.isBlank() ? ApiKeys.newKey() : null;
        String file = env.get("TRIMS_API_KEYS_FILE");
        ApiKeys keys = file == null || file.isBlank() ? ApiKeys.none() : ApiKeys.load(Path.of(file.trim()));
        ApiKeys metricsKey = ApiKeys.none().with(METRICS_TENANT, Role.READ, env.get("TRIMS_METRICS_KEY"));
        return new AuthConfig(open(env.get("TRIMS_AUTH_OPEN")), keys.withAdmin(generated != null ? generated : admin),
                metricsKey, limit(env, "TRIMS_TENANT_RPS", DEFAULT_TENANT_RPS),
                limit(env, "TRIMS_TENANT_BYTES", DEFAULT_TENANT_BYTES), generated);
    }

    private static Open open(String value) {
        if (value == null || value.isBlank()) {
            return Open.NONE;
        }
        try {
            return Open.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TRIMS_AUTH_OPEN must be none or reads, got '" + value + "'");
        }
    }

    private static long limit(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return ApiKeys.limit(value, name);
    }
}
