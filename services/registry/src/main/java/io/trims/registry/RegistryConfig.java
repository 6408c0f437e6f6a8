package io.trims.registry;

import java.nio.file.Path;
import java.util.Map;

/**
 * Settings of the model registry.
 *
 * @param maxModelBytes largest ONNX file an upload may carry; a larger one is refused with 413
 * @param tempDir       where uploads are spooled before they are checked and stored
 * @param catalogueRepairMillis how often catalogue records missing from the directory, or forged there, are put
 *                      back from the manifests in object storage
 */
public record RegistryConfig(long maxModelBytes, Path tempDir, long catalogueRepairMillis) {

    public static final long DEFAULT_MAX_MODEL_BYTES = 2L * 1024 * 1024 * 1024;
    public static final long DEFAULT_CATALOGUE_REPAIR_MILLIS = 5_000;

    public RegistryConfig {
        if (catalogueRepairMillis < 100) {
            throw new IllegalArgumentException("TRIMS_CATALOGUE_REPAIR_MS must be at least 100, not "
                    + catalogueRepairMillis);
        }
    }

    public RegistryConfig(long maxModelBytes, Path tempDir) {
        this(maxModelBytes, tempDir, DEFAULT_CATALOGUE_REPAIR_MILLIS);
    }

    /**
     * Reads TRIMS_MAX_MODEL_BYTES (default 2 GiB), TRIMS_REGISTRY_TMP_DIR (default the JVM's temp directory) and
     * TRIMS_CATALOGUE_REPAIR_MS (5000).
     */
    public static RegistryConfig fromEnv(Map<String, String> env) {
        return new RegistryConfig(
                Long.parseLong(env.getOrDefault("TRIMS_MAX_MODEL_BYTES", Long.toString(DEFAULT_MAX_MODEL_BYTES))),
                Path.of(env.getOrDefault("TRIMS_REGISTRY_TMP_DIR", System.getProperty("java.io.tmpdir"))),
                Long.parseLong(env.getOrDefault("TRIMS_CATALOGUE_REPAIR_MS",
                        Long.toString(DEFAULT_CATALOGUE_REPAIR_MILLIS))));
    }

    public static RegistryConfig defaults() {
        return fromEnv(Map.of());
    }
}
