package io.trims.agent.gpu.plan;

import io.trims.agent.gpu.graph.ElementTypes;
import io.trims.agent.gpu.graph.Graph;
import io.trims.agent.gpu.graph.Node;
import io.trims.agent.tensor.DataType;
import io.trims.agent.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * What a loaded model runs, fixed once per load: the device steps in order, the host-evaluated shape nodes, every
 * tensor's placement and element type, which tensors are views of another's storage, the weights, and each arena
 * tensor's lifetime. Shapes are not here: they depend on the input shapes ({@link Layout}, per {@link Signature}).
 *
 * @param constants initializers plus everything folded from them at plan time (host values with no input dependency)
 * @param weights   the constants device steps read, uploaded once per load (name to host tensor)
 * @param storage   tensor name to the name of the tensor whose memory it uses (itself unless it is a view)
 * @param lifetimes arena storage roots (inputs, host values that device steps read, device results) to their lifetime
 */
public record Plan(Graph graph, List<Step> steps, List<Node> hostNodes, Map<String, Placement> placements,
                   Map<String, DataType> types, Map<String, String> storage, Map<String, Tensor> constants,
                   Map<String, Tensor> weights, Map<String, Lifetime> lifetimes) {

    public Plan {
        steps = List.copyOf(steps);
        hostNodes = List.copyOf(hostNodes);
        placements = Map.copyOf(placements);
        types = Map.copyOf(types);
        storage = Map.copyOf(storage);
        constants = Map.copyOf(constants);
        weights = Map.copyOf(weights);
        lifetimes = Map.copyOf(lifetimes);
    }

    /** Bytes the weights take on a device (exact, before alignment padding). */
    public long weightBytes() {
        return weights.values().stream().mapToLong(t -> (long) t.size() * ElementTypes.bytes(t.type())).sum();
    }

    public Placement placement(String tensor) {
        return placements.get(tensor);
    }

    /** The storage root of a tensor (itself unless it is a view). */
    public String root(String tensor) {
        return storage.getOrDefault(tensor, tensor);
    }
}
