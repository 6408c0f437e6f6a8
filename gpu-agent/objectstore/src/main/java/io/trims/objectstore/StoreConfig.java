package io.trims.objectstore;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the models bucket lives.
 *
 * @param endpoint     S3 endpoint URL, or null for the embedded S3 server (started by {@code ObjectStores.open})
 * @param embeddedPort port of the embedded server when it is started (0 = any free port)
 * @param dataDir      directory the embedded server keeps objects in
 * @param timeouts     how long a call to the store may take ({@link StoreTimeouts#fromEnv})
 */
public record StoreConfig(String endpoint, String accessKey, String secretKey, String bucket, Path dataDir,
                          int embeddedPort, StoreTimeouts timeouts) {

    /**
     * Reads TRIMS_S3_ENDPOINT (default none: embedded), TRIMS_S3_ACCESS_KEY and TRIMS_S3_SECRET_KEY (required with an
     * endpoint; {@code trims} and {@code trims-secret} for the embedded server only), TRIMS_S3_BUCKET
     * ({@code trims-models}), TRIMS_S3_DATA_DIR ({@code data/s3}), TRIMS_S3_PORT (embedded server's port,
     * {@code 9000}) and the timeouts ({@link StoreTimeouts#fromEnv}).
     */
    public static StoreConfig fromEnv(Map<String, String> env) {
        String given = env.get("TRIMS_S3_ENDPOINT");
        String endpoint = given == null || given.isBlank() ? null : given.trim();
        return new StoreConfig(
                endpoint,
                credential(env, "TRIMS_S3_ACCESS_KEY", "trims", endpoint),
                credential(env, "TRIMS_S3_SECRET_KEY", "trims-secret", endpoint),
                env.getOrDefault("TRIMS_S3_BUCKET", "trims-models"),
                Path.of(env.getOrDefault("TRIMS_S3_DATA_DIR", "data/s3")),
                Integer.parseInt(env.getOrDefault("TRIMS_S3_PORT", "9000")),
                StoreTimeouts.fromEnv(env));
    }

    /** A well-known default would open a real bucket to anyone: only the embedded server, on loopback, has one. */
    private static String credential(Map<String, String> env, String key, String embeddedDefault, String endpoint) {
        String value = env.get(key);
        if (value != null && !value.isBlank()) {
            return value.trim();
        }
        if (endpoint != null) {
            throw new IllegalArgumentException(key + " must be set when TRIMS_S3_ENDPOINT is (" + endpoint
                    + "): the object store's credentials have no default");
        }
        return embeddedDefault;
    }

    /** An embedded store on a directory and any free port: tests and one-machine runs. */
    public static StoreConfig embedded(Path dataDir) {
        return new StoreConfig(null, "trims", "trims-secret", "trims-models", dataDir, 0, StoreTimeouts.DEFAULTS);
    }

    public boolean isEmbedded() {
        return endpoint == null;
    }
}
