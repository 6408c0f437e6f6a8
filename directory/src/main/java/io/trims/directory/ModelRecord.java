package io.trims.directory;

import java.util.List;

/**
 * A registered model version: where its bytes are in object storage and what they must hash to.
 *
 * @param objectKey key of the ONNX file in the models bucket
 * @param sha256    lowercase hex SHA-256 of the file; a copy that does not match is never served
 */
public record ModelRecord(String name, String version, String objectKey, String sha256, long sizeBytes,
                          List<TensorSpec> inputs, List<TensorSpec> outputs, long createdAtMillis) {
    public ModelRecord {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public ModelId id() {
        return new ModelId(name, version);
    }
}
