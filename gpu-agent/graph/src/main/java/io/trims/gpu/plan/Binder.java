package io.trims.gpu.plan;

import io.trims.gpu.graph.ElementTypes;
import io.trims.gpu.graph.GraphException;
import io.trims.gpu.graph.HostEvaluator;
import io.trims.gpu.graph.HostValues;
import io.trims.gpu.graph.Node;
import io.trims.gpu.graph.ShapeRules;
import io.trims.gpu.graph.Shapes;
import io.trims.gpu.graph.ValueInfo;
import io.trims.protocol.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a plan to actual input shapes: walks the nodes in order, evaluating host nodes and inferring every device
 * tensor's shape, then lays out the arena. Done once per distinct {@link Signature}.
 */
public final class Binder {

    private Binder() {
    }

    /** Binds and checks the device kernels' shape limits; a {@link GraphException} says what does not fit. */
    public static Layout bind(Plan plan, Signature signature) {
        Layout layout = unchecked(plan, signature);
        StepChecks.check(plan, layout);
        return layout;
    }

    /** Shapes, host values and arena without the kernel-limit checks. */
    static Layout unchecked(Plan plan, Signature signature) {
        Map<String, long[]> shapes = new HashMap<>();
        Map<String, Tensor> host = new HashMap<>(plan.constants());
        for (ValueInfo input : plan.graph().inputs()) {
            long[] shape = signature.shapes().containsKey(input.name()) ? signature.shape(input.name()) : null;
            checkInput(input, shape);
            shapes.put(input.name(), shape);
        }
        plan.weightShapes().forEach((name, shape) -> shapes.put(name, shape.clone()));
        plan.constants().forEach((name, t) -> shapes.put(name, t.shape()));
        int opset = plan.graph().opset();
        for (Node node : plan.graph().nodes()) {
            if (plan.constants().containsKey(node.output()) || plan.weightShapes().containsKey(node.output())) {
                continue;
            }
            List<long[]> inShapes = new ArrayList<>();
            List<Tensor> inValues = new ArrayList<>();
            for (String in : node.inputs()) {
                inShapes.add(in.isEmpty() ? null : shapes.get(in));
                inValues.add(in.isEmpty() ? null : host.get(in));
            }
            try {
                if (plan.placement(node.output()) == Placement.HOST) {
                    Tensor value = HostEvaluator.evaluate(node, opset, inValues, inShapes, plan.types().get(node.output()));
                    host.put(node.output(), value);
                    shapes.put(node.output(), value.shape());
                } else {
                    long[] shape = ShapeRules.infer(node, opset, inShapes,
                            i -> inValues.get(i) == null ? null : HostValues.longs(inValues.get(i)));
                    shapes.put(node.output(), shape);
                }
            } catch (GraphException | ArithmeticException | IndexOutOfBoundsException e) {
                throw new GraphException(node.describe() + " cannot be shaped for inputs " + signature.shapes() + ": "
                        + e.getMessage(), e);
            }
        }
        Map<String, Tensor> hostValues = new HashMap<>(host);
        hostValues.keySet().removeAll(plan.constants().keySet());
        Map<String, Long> bytes = new HashMap<>();
        for (String root : plan.lifetimes().keySet()) {
            bytes.put(root, Shapes.count(shapes.get(root)) * ElementTypes.bytes(plan.types().get(root)));
        }
        ArenaPlanner.Assignment arena = ArenaPlanner.assign(plan.lifetimes(), bytes);
        return new Layout(signature, shapes, hostValues, arena.offsets(), arena.totalBytes());
    }

    private static void checkInput(ValueInfo input, long[] shape) {
        if (shape == null) {
            throw new GraphException("input '" + input.name() + "' is missing");
        }
        long[] declared = input.shape();
        boolean ok = declared.length == shape.length;
        for (int i = 0; ok && i < shape.length; i++) {
            ok = shape[i] >= 0 && (declared[i] < 0 || declared[i] == shape[i]);
        }
        if (!ok) {
            throw new GraphException("input '" + input.name() + "' has shape " + Arrays.toString(shape)
                    + " but the model declares " + Arrays.toString(declared));
        }
    }
}
