package io.trims.registry;

import io.trims.gpu.plan.GpuSupport;

import java.nio.file.Path;
import java.util.Optional;

/** The GPU executor's own operator support check: the model is planned as the agent would plan it for the GPU. */
final class ExecutorGpuCheck implements GpuCheck {

    static final ExecutorGpuCheck INSTANCE = new ExecutorGpuCheck();

    private ExecutorGpuCheck() {
    }

    @Override
    public Optional<String> unsupportedReason(Path onnxFile) {
        return GpuSupport.check(onnxFile);
    }
}
