package io.trims.agent.admission;

import io.trims.directory.ModelRecord;
import io.trims.directory.TensorSpec;
import io.trims.protocol.InferRequest;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How big one parsed request is, and the answer it would get, against the per-request limits: checked before the
 * model runs, so that an oversized answer is never computed. The output estimate reads the model's output shapes:
 * a fixed dimension as it is, a dynamic one as the largest size the inputs give that position (dimension 0 is the
 * batch, dimension 1 of a text model the sequence length), 1 when no input reaches it.
 */
public final class RequestSize {

    private RequestSize() {
    }

    /** Throws a {@link AdmissionException.Kind#TOO_LARGE} naming the limit the request passes. */
    public static void check(InferRequest request, ModelRecord model, AdmissionLimits limits) {
        long elements = 0;
        for (Tensor input : request.inputs()) {
            long[] shape = input.shape();
            TensorSpec spec = spec(model.inputs(), input.name());
            if (shape.length > 0 && spec != null && spec.shape().length > 0 && spec.shape()[0] < 0
                    && shape[0] > limits.maxBatch()) {
                throw AdmissionException.tooLarge("input '" + input.name() + "' has a batch of " + shape[0]
                        + "; this agent runs at most " + limits.maxBatch() + " at once (TRIMS_MAX_BATCH)");
            }
            elements = saturatedAdd(elements, Tensor.elementCount(shape));
        }
        if (elements > limits.maxInputElements()) {
            throw AdmissionException.tooLarge("the inputs hold " + elements + " elements; this agent takes at most "
                    + limits.maxInputElements() + " per request (TRIMS_MAX_INPUT_ELEMENTS)");
        }
        long outputBytes = outputBytes(request, model);
        if (outputBytes > limits.maxOutputBytes()) {
            throw AdmissionException.tooLarge("the outputs asked for would take about " + outputBytes
                    + " bytes; this agent answers at most " + limits.maxOutputBytes()
                    + " per request (TRIMS_MAX_OUTPUT_BYTES): send a smaller batch");
        }
    }

    /** Bytes of the outputs the request asks for (all when it names none), as binary tensor data. */
    static long outputBytes(InferRequest request, ModelRecord model) {
        Set<String> wanted = new HashSet<>(request.requestedOutputs());
        long total = 0;
        for (TensorSpec output : model.outputs()) {
            if (wanted.isEmpty() || wanted.contains(output.name())) {
                total = saturatedAdd(total, bytes(output, request.inputs()));
            }
        }
        return total;
    }

    private static long bytes(TensorSpec output, List<Tensor> inputs) {
        long size = DataType.fromV2(output.datatype()).filter(DataType::fixedSize).map(DataType::elementBytes)
                .orElse(1);
        long[] shape = output.shape();
        for (int d = 0; d < shape.length; d++) {
            size = saturatedMultiply(size, shape[d] >= 0 ? shape[d] : inputSize(inputs, d));
        }
        return size;
    }

    private static long inputSize(List<Tensor> inputs, int dimension) {
        long size = 1;
        for (Tensor input : inputs) {
            long[] shape = input.shape();
            if (shape.length > dimension) {
                size = Math.max(size, shape[dimension]);
            }
        }
        return size;
    }

    private static TensorSpec spec(List<TensorSpec> specs, String name) {
        for (TensorSpec spec : specs) {
            if (spec.name().equals(name)) {
                return spec;
            }
        }
        return null;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high != 0 || product < 0 ? Long.MAX_VALUE : product;
    }
}
