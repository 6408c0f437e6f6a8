package io.trims.registry;

import java.nio.file.Path;
import java.util.Map;

/**
 * Settings of the model registry.
 *
 * @param maxModelBytes largest ONNX file an upload may carry; a larger one is refused with 413
 * @param tempDir       where uploads are spooled before they are checked and stored
 */
public record RegistryConfig(long maxModelBytes, Path tempDir) {

    public static final long DEFAULT_MAX_MODEL_BYTES = 2L * 1024 * 1024 * 1024;

    /** Reads TRIMS_MAX_MODEL_BYTES (default 2 GiB) and TRIMS_REGISTRY_TMP_DIR (default the JVM's temp directory). */
    public static RegistryConfig fromEnv(Map<String, String> env) {
        return new RegistryConfig(
                Long.parseLong(env.getOrDefault("TRIMS_MAX_MODEL_BYTES", Long.toString(DEFAULT_MAX_MODEL_BYTES))),
                Path.of(env.getOrDefault("TRIMS_REGISTRY_TMP_DIR", System.getProperty("java.io.tmpdir"))));
    }

    public static RegistryConfig defaults() {
        return fromEnv(Map.of());
    }
}
