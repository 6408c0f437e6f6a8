package io.trims.directory;

import java.util.List;
import java.util.Objects;

/**
 * A registered model version: where its bytes are in object storage and what they must hash to.
 *
 * @param objectKey            key of the ONNX file in the models bucket
 * @param sha256               lowercase hex SHA-256 of the file; a copy that does not match is never served
 * @param gpuUnsupportedReason why trims' GPU executor cannot run the model (e.g. an operator it lacks), so it is
 *                             served from the CPU tier only; empty when the model can run in the GPU tier
 */
public record ModelRecord(String name, String version, String objectKey, String sha256, long sizeBytes,
                          List<TensorSpec> inputs, List<TensorSpec> outputs, long createdAtMillis,
                          String gpuUnsupportedReason) {
    public ModelRecord {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        Objects.requireNonNull(gpuUnsupportedReason, "gpuUnsupportedReason");
    }

    /** A model the GPU executor can run (no reason against it). */
    public ModelRecord(String name, String version, String objectKey, String sha256, long sizeBytes,
                       List<TensorSpec> inputs, List<TensorSpec> outputs, long createdAtMillis) {
        this(name, version, objectKey, sha256, sizeBytes, inputs, outputs, createdAtMillis, "");
    }

    public ModelId id() {
        return new ModelId(name, version);
    }

    /** True when the model may be promoted to the GPU tier. */
    public boolean gpuCapable() {
        return gpuUnsupportedReason.isEmpty();
    }

    /** The same record marked CPU-only for {@code reason}, or GPU-capable when the reason is empty. */
    public ModelRecord withGpuUnsupportedReason(String reason) {
        return new ModelRecord(name, version, objectKey, sha256, sizeBytes, inputs, outputs, createdAtMillis, reason);
    }
}
