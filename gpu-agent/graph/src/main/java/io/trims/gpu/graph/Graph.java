package io.trims.gpu.graph;

import io.trims.protocol.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ONNX model graph as trims sees it: nodes in topological order, initializers (Constant nodes included) as host
 * tensors, and the declared inputs (initializers excluded) and outputs.
 */
public record Graph(String name, int opset, List<Node> nodes, Map<String, Tensor> initializers, List<ValueInfo> inputs,
                    List<ValueInfo> outputs) {

    public Graph {
        nodes = List.copyOf(nodes);
        initializers = Map.copyOf(initializers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public Optional<ValueInfo> input(String name) {
        return inputs.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** Total bytes of all initializers as host arrays. */
    public long initializerBytes() {
        return initializers.values().stream().mapToLong(t -> (long) t.size() * ElementTypes.bytes(t.type())).sum();
    }
}
