package io.trims.protocol;

import io.trims.protocol.tensor.Tensor;

import java.util.List;

/**
 * A parsed v2 inference request.
 *
 * @param id               the client's request id, echoed in the response; null if none
 * @param requestedOutputs names of the outputs wanted; empty means all
 */
public record InferRequest(String id, List<Tensor> inputs, List<String> requestedOutputs) {
    public InferRequest {
        inputs = List.copyOf(inputs);
        requestedOutputs = List.copyOf(requestedOutputs);
    }
}
