package io.trims.directory;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A registered model version: where its bytes are in object storage and what they must hash to.
 *
 * @param objectKey            key of the ONNX file in the models bucket
 * @param sha256               lowercase hex SHA-256 of the file; a copy that does not match is never served
 * @param gpuUnsupportedReason why trims' GPU executor cannot run the model (e.g. an operator it lacks), so it is
 *                             served from the CPU tier only; empty when the model can run in the GPU tier
 * @param owner                the tenant that registered it; empty for a version registered before tenants existed
 * @param visibility           whether other tenants see it; a version without an owner is public
 * @param task                 the task it serves for model-less requests, {@link TaskProfile#NONE} if none
 */
public record ModelRecord(String name, String version, String objectKey, String sha256, long sizeBytes,
                          List<TensorSpec> inputs, List<TensorSpec> outputs, long createdAtMillis,
                          String gpuUnsupportedReason, String owner, Visibility visibility, TaskProfile task) {
    /** The order of a model's versions everywhere: by registration time, the version breaking a tie. */
    public static final Comparator<ModelRecord> OLDEST_FIRST = Comparator.comparingLong(ModelRecord::createdAtMillis)
            .thenComparing(ModelRecord::version);

    /** The newest of a model's versions listed {@link #OLDEST_FIRST}: what a request that names no version gets. */
    public static Optional<ModelRecord> newest(List<ModelRecord> oldestFirst) {
        return oldestFirst.isEmpty() ? Optional.empty() : Optional.of(oldestFirst.get(oldestFirst.size() - 1));
    }

    public ModelRecord {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        Objects.requireNonNull(gpuUnsupportedReason, "gpuUnsupportedReason");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(visibility, "visibility");
        Objects.requireNonNull(task, "task");
    }

    /** A public version with no owner and no task, as every version was before tenants and tasks existed. */
    public ModelRecord(String name, String version, String objectKey, String sha256, long sizeBytes,
                       List<TensorSpec> inputs, List<TensorSpec> outputs, long createdAtMillis,
                       String gpuUnsupportedReason) {
        this(name, version, objectKey, sha256, sizeBytes, inputs, outputs, createdAtMillis, gpuUnsupportedReason, "",
                Visibility.PUBLIC, TaskProfile.NONE);
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
        return new ModelRecord(name, version, objectKey, sha256, sizeBytes, inputs, outputs, createdAtMillis, reason,
                owner, visibility, task);
    }

    /** The same record serving {@code profile}. */
    public ModelRecord withTask(TaskProfile profile) {
        return new ModelRecord(name, version, objectKey, sha256, sizeBytes, inputs, outputs, createdAtMillis,
                gpuUnsupportedReason, owner, visibility, profile);
    }

    /** The same record owned by {@code tenant}, seen as {@code visibility} says. */
    public ModelRecord ownedBy(String tenant, Visibility visibility) {
        return new ModelRecord(name, version, objectKey, sha256, sizeBytes, inputs, outputs, createdAtMillis,
                gpuUnsupportedReason, tenant, visibility, task);
    }
}
