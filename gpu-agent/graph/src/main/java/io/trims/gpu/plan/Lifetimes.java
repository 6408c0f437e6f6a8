package io.trims.gpu.plan;

import io.trims.gpu.graph.Graph;
import io.trims.gpu.graph.Node;
import io.trims.gpu.graph.Operators;
import io.trims.gpu.graph.ValueInfo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lifetime of every arena storage root: graph inputs and host values that device steps read (written before the
 * first step) and device results that are not views. Reading a view keeps its root alive.
 */
final class Lifetimes {

    private Lifetimes() {
    }

    static Map<String, Lifetime> of(Graph graph, List<Step> steps, Map<String, Placement> placements, Map<String, String> storage) {
        Map<String, Lifetime> lifetimes = new HashMap<>();
        for (Step step : steps) {
            Node node = step.node();
            for (int i = 0; i < node.inputs().size(); i++) {
                String in = node.inputs().get(i);
                if (!in.isEmpty() && !Operators.isParameter(node, i, graph.opset())) {
                    touch(lifetimes, placements, storage.getOrDefault(in, in), step.index());
                }
            }
            if (!Operators.VIEWS.contains(node.opType())) {
                node.outputs().stream().filter(o -> !o.isEmpty())
                        .forEach(o -> lifetimes.merge(o, new Lifetime(step.index(), step.index()), Lifetime::union));
            }
        }
        for (ValueInfo out : graph.outputs()) {
            if (placements.get(out.name()) == Placement.HOST) {
                continue;
            }
            touch(lifetimes, placements, storage.getOrDefault(out.name(), out.name()), steps.size());
        }
        return lifetimes;
    }

    private static void touch(Map<String, Lifetime> lifetimes, Map<String, Placement> placements, String root, int step) {
        Placement p = placements.get(root);
        if (p == Placement.INPUT || p == Placement.HOST) {
            lifetimes.merge(root, new Lifetime(-1, step), Lifetime::union);
        } else if (p == Placement.DEVICE) {
            lifetimes.merge(root, new Lifetime(step, step), Lifetime::union);
        }
    }
}
