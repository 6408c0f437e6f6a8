package io.trims.gpu.plan;

import io.trims.gpu.graph.Graph;
import io.trims.gpu.graph.GraphException;
import io.trims.gpu.graph.HostEvaluator;
import io.trims.gpu.graph.Node;
import io.trims.gpu.graph.Operators;
import io.trims.gpu.graph.TypeInference;
import io.trims.gpu.graph.ValueInfo;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Plan} once per load: folds constant-only shape arithmetic, marks shape subgraphs for the host,
 * turns every other node into a device step (or fails, saying which node has no GPU kernel), picks the weights and
 * the arena tensors' lifetimes.
 */
public final class Planner {

    /** Constants larger than this stay device data: the host only evaluates shape-sized values. */
    static final int HOST_LIMIT = 4096;

    private Planner() {
    }

    public static Plan plan(Graph graph) {
        Map<String, DataType> types = TypeInference.infer(graph);
        Map<String, Tensor> constants = new HashMap<>(graph.initializers());
        Map<String, Placement> placements = new HashMap<>();
        graph.inputs().forEach(v -> placements.put(v.name(), Placement.INPUT));
        constants.keySet().forEach(c -> placements.put(c, Placement.HOST));
        Set<String> used = usedTensors(graph);
        List<Node> hostNodes = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (Node node : graph.nodes()) {
            if (onHost(node, placements, constants)) {
                if (node.inputs().stream().allMatch(i -> i.isEmpty() || constants.containsKey(i))) {
                    constants.put(node.output(), fold(graph, node, constants, types));
                } else {
                    hostNodes.add(node);
                }
                placements.put(node.output(), Placement.HOST);
            } else {
                DeviceRules.check(node, graph.opset(), types,
                        t -> placements.get(t) == Placement.HOST, used::contains);
                steps.add(new Step(steps.size(), node));
                node.outputs().stream().filter(o -> !o.isEmpty()).forEach(o -> placements.put(o, Placement.DEVICE));
            }
        }
        for (ValueInfo out : graph.outputs()) {
            if (!placements.containsKey(out.name())) {
                throw new GraphException("graph output '" + out.name() + "' is produced by no node");
            }
        }
        Map<String, Tensor> weights = new HashMap<>();
        Map<String, String> storage = new HashMap<>();
        for (Step step : steps) {
            Node node = step.node();
            for (int i = 0; i < node.inputs().size(); i++) {
                String in = node.inputs().get(i);
                if (!in.isEmpty() && !Operators.isParameter(node, i, graph.opset()) && constants.containsKey(in)) {
                    weights.put(in, constants.get(in));
                }
            }
            if (Operators.VIEWS.contains(node.opType())) {
                String input = node.inputs().get(0);
                storage.put(node.output(), storage.getOrDefault(input, input));
            }
        }
        weights.keySet().forEach(w -> placements.put(w, Placement.WEIGHT));
        Map<String, Lifetime> lifetimes = Lifetimes.of(graph, steps, placements, storage);
        Map<String, long[]> weightShapes = new HashMap<>();
        weights.forEach((name, t) -> weightShapes.put(name, t.shape()));
        return new Plan(graph, steps, hostNodes, placements, types, storage, constants, weights, weightShapes, lifetimes);
    }

    private static boolean onHost(Node node, Map<String, Placement> placements, Map<String, Tensor> constants) {
        if (Operators.readsShapeOnly(node.opType())) {
            return true;
        }
        if (!Operators.HOST.contains(node.opType())) {
            return false;
        }
        for (String in : node.inputs()) {
            if (in.isEmpty()) {
                continue;
            }
            if (placements.get(in) != Placement.HOST) {
                return false;
            }
            Tensor constant = constants.get(in);
            if (constant != null && constant.size() > HOST_LIMIT) {
                return false;
            }
        }
        return true;
    }

    private static Tensor fold(Graph graph, Node node, Map<String, Tensor> constants, Map<String, DataType> types) {
        List<Tensor> inputs = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        for (String in : node.inputs()) {
            Tensor t = in.isEmpty() ? null : constants.get(in);
            inputs.add(t);
            shapes.add(t == null ? null : t.shape());
        }
        return HostEvaluator.evaluate(node, graph.opset(), inputs, shapes, types.get(node.output()));
    }

    private static Set<String> usedTensors(Graph graph) {
        Set<String> used = new HashSet<>();
        graph.nodes().forEach(n -> used.addAll(n.inputs()));
        graph.outputs().forEach(o -> used.add(o.name()));
        return used;
    }
}
