package io.trims.gpu.plan;

import io.trims.gpu.graph.GraphException;
import io.trims.gpu.graph.HostValues;
import io.trims.gpu.graph.Node;
import io.trims.gpu.graph.Operators;
import io.trims.gpu.graph.ShapeRules;
import io.trims.protocol.tensor.Tensor;

import java.util.Arrays;

/**
 * The limits of the device kernels that only show once shapes are known: ReduceMean over trailing axes only, and
 * tensors of rank at most {@value #MAX_RANK} (the strided kernels' index space).
 */
final class StepChecks {

    static final int MAX_RANK = 6;

    private StepChecks() {
    }

    static void check(Plan plan, Layout layout) {
        int opset = plan.graph().opset();
        for (Step step : plan.steps()) {
            Node node = step.node();
            if (Operators.VIEWS.contains(node.opType())) {
                continue;
            }
            for (String name : node.inputs()) {
                if (!name.isEmpty() && layout.shapes().get(name).length > MAX_RANK) {
                    throw new GraphException(node.describe() + ": rank " + layout.shapes().get(name).length
                            + " is over the GPU kernels' " + MAX_RANK);
                }
            }
            if (node.opType().equals("ReduceMean")) {
                int rank = layout.shape(node.inputs().get(0)).length;
                int[] axes = ShapeRules.reducedAxes(node, opset, rank, i -> node.input(i).map(n -> longs(plan, layout, n)).orElse(null));
                for (int i = 0; i < axes.length; i++) {
                    if (axes[i] != rank - axes.length + i) {
                        throw new GraphException(node.describe() + ": only trailing axes can be reduced on the GPU, not "
                                + Arrays.toString(axes));
                    }
                }
            }
        }
    }

    private static long[] longs(Plan plan, Layout layout, String name) {
        Tensor t = layout.hostValues().getOrDefault(name, plan.constants().get(name));
        return t == null ? null : HostValues.longs(t);
    }
}
