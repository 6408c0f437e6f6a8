package io.trims.protocol;

import io.trims.protocol.tensor.Tensor;

import java.util.List;

/**
 * A parsed v2 inference request.
 *
 * @param id           the client's request id, echoed in the response; null if none
 * @param outputs      the outputs wanted, in the order asked; empty means all
 * @param binaryOutput the request's {@code parameters.binary_data_output}: outputs not saying otherwise are
 *                     answered as binary data (the binary tensor data extension)
 * @param timeoutMicros the request's {@code parameters.timeout}, as Triton names it: microseconds from its arrival
 *                      within which it must have run, else it is not run; 0 when not given
 */
public record InferRequest(String id, List<Tensor> inputs, List<RequestedOutput> outputs, boolean binaryOutput,
                           long timeoutMicros) {

    public InferRequest {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        if (timeoutMicros < 0) {
            throw V2Exception.badRequest("parameters.timeout must not be negative, got " + timeoutMicros);
        }
    }

    public InferRequest(String id, List<Tensor> inputs, List<RequestedOutput> outputs, boolean binaryOutput) {
        this(id, inputs, outputs, binaryOutput, 0);
    }

    /** The names of the outputs wanted; empty means all. */
    public List<String> requestedOutputs() {
        return outputs.stream().map(RequestedOutput::name).toList();
    }

    /** Whether the output named so is answered as binary data: its own {@code binary_data}, else the request's. */
    public boolean binary(String output) {
        for (RequestedOutput o : outputs) {
            if (o.name().equals(output)) {
                return o.binary(binaryOutput);
            }
        }
        return binaryOutput;
    }
}
