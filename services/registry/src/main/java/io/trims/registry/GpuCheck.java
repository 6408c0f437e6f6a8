package io.trims.registry;

import ai.onnx.proto.OnnxMl.ModelProto;

import java.util.Optional;

/**
 * Decides at upload whether trims' GPU executor can run a model. A model it cannot run is registered CPU-only:
 * the reason is stored in the manifest and the directory's record, agents never promote it to the GPU tier and
 * placement never expects it there.
 */
@FunctionalInterface
public interface GpuCheck {

    /** Why the GPU executor cannot run {@code model} (e.g. an operator it lacks), or empty if it can. */
    Optional<String> unsupportedReason(ModelProto model);

    /** The check of the GPU executor that ships with the agent. */
    static GpuCheck executor() {
        return ExecutorGpuCheck.INSTANCE;
    }
}
