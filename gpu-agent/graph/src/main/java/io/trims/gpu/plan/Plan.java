package io.trims.gpu.plan;

import io.trims.gpu.graph.ElementTypes;
import io.trims.gpu.graph.Graph;
import io.trims.gpu.graph.Node;
import io.trims.gpu.graph.Shapes;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a loaded model runs, fixed once per load: the device steps in order, the host-evaluated shape nodes, every
 * tensor's placement and element type, which tensors are views of another's storage, the weights, and each arena
 * tensor's lifetime. Shapes are not here: they depend on the input shapes ({@link Layout}, per {@link Signature}).
 *
 * @param constants   initializers plus everything folded from them at plan time (host values with no input dependency)
 * @param weights     the constants device steps read, uploaded once per load (name to host tensor); empty in a plan
 *                    {@link #withoutWeightData() without weight data}
 * @param weightShapes the shape of every weight (kept when the weight data is dropped)
 * @param storage     tensor name to the name of the tensor whose memory it uses (itself unless it is a view)
 * @param lifetimes   arena storage roots (inputs, host values that device steps read, device results) to their lifetime
 */
public record Plan(Graph graph, List<Step> steps, List<Node> hostNodes, Map<String, Placement> placements,
                   Map<String, DataType> types, Map<String, String> storage, Map<String, Tensor> constants,
                   Map<String, Tensor> weights, Map<String, long[]> weightShapes, Map<String, Lifetime> lifetimes) {

    public Plan {
        steps = List.copyOf(steps);
        hostNodes = List.copyOf(hostNodes);
        placements = Map.copyOf(placements);
        types = Map.copyOf(types);
        storage = Map.copyOf(storage);
        constants = Map.copyOf(constants);
        weights = Map.copyOf(weights);
        weightShapes = Map.copyOf(weightShapes);
        lifetimes = Map.copyOf(lifetimes);
    }

    /** Bytes the weights take on a device (exact, before alignment padding). */
    public long weightBytes() {
        return weightShapes.entrySet().stream()
                .mapToLong(e -> Shapes.count(e.getValue()) * ElementTypes.bytes(types.get(e.getKey()))).sum();
    }

    /**
     * This plan without the host copies of the weights, for after they are on the device: the graph keeps only the
     * initializers that are not weights, the constants only the shape-sized ones the host still reads.
     */
    public Plan withoutWeightData() {
        Map<String, Tensor> smallConstants = new HashMap<>();
        constants.forEach((name, t) -> {
            if (!weights.containsKey(name) || t.size() <= Planner.HOST_LIMIT) {
                smallConstants.put(name, t);
            }
        });
        Map<String, Tensor> initializers = new HashMap<>(graph.initializers());
        initializers.keySet().removeAll(weights.keySet());
        Graph lean = new Graph(graph.name(), graph.opset(), graph.nodes(), initializers, graph.inputs(), graph.outputs());
        return new Plan(lean, steps, hostNodes, placements, types, storage, smallConstants, Map.of(), weightShapes, lifetimes);
    }

    public Placement placement(String tensor) {
        return placements.get(tensor);
    }

    /** The storage root of a tensor (itself unless it is a view). */
    public String root(String tensor) {
        return storage.getOrDefault(tensor, tensor);
    }
}
