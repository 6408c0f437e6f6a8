package io.trims.protocol;

import io.trims.protocol.tensor.Tensor;

import java.util.List;

/** A decoded v2 inference response; {@code id} is null when the request had none. */
public record InferResponse(String modelName, String modelVersion, String id, List<Tensor> outputs) {

    public InferResponse {
        outputs = List.copyOf(outputs);
    }
}
