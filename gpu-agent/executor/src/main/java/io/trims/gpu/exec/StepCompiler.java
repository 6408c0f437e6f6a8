package io.trims.gpu.exec;

import io.trims.gpu.graph.GraphException;
import io.trims.gpu.graph.Node;
import io.trims.gpu.graph.Operators;
import io.trims.gpu.graph.Shapes;
import io.trims.gpu.plan.Step;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the plan's steps into kernel launches for one signature and one arena: every shape, stride and buffer view
 * is resolved here, once, so a run only calls the launches.
 */
final class StepCompiler {

    private StepCompiler() {
    }

    static <B> List<Runnable> compile(List<Step> steps, StepContext<B> ctx) {
        List<Runnable> launches = new ArrayList<>();
        for (Step step : steps) {
            Node node = step.node();
            if (Operators.VIEWS.contains(node.opType()) || Shapes.count(ctx.shape(node.output())) == 0) {
                continue;
            }
            launches.add(compile(node, ctx));
        }
        return launches;
    }

    private static <B> Runnable compile(Node node, StepContext<B> ctx) {
        return switch (node.opType()) {
            case "MatMul", "Gemm", "ReduceMean", "Softmax", "LayerNormalization" -> MatrixLaunches.compile(node, ctx);
            case "Gather", "Transpose", "Concat", "Slice" -> MovementLaunches.compile(node, ctx);
            case "Add", "Sub", "Mul", "Div", "Pow", "Equal", "Where", "Cast", "Expand", "Sqrt", "Erf", "Relu",
                 "Sigmoid", "Tanh", "Gelu", "Neg", "Exp" -> ElementwiseLaunches.compile(node, ctx);
            default -> throw new GraphException(node.describe() + " has no GPU kernel");
        };
    }
}
