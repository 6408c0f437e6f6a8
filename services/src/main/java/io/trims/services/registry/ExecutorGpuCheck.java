package io.trims.services.registry;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The operator support check of the GPU executor. Until the executor's graph package is on this branch every model
 * counts as GPU-capable; agents still fall back to CPU when a GPU load fails.
 */
final class ExecutorGpuCheck implements GpuCheck {

    static final ExecutorGpuCheck INSTANCE = new ExecutorGpuCheck();

    private ExecutorGpuCheck() {
    }

    @Override
    public Optional<String> unsupportedReason(Path onnxFile) {
        return Optional.empty();
    }
}
