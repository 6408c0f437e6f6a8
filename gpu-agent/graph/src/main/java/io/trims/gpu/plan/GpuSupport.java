package io.trims.gpu.plan;

import io.trims.gpu.graph.GraphException;
import io.trims.gpu.graph.Graph;
import io.trims.gpu.graph.OnnxGraphReader;
import io.trims.gpu.graph.ValueInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Whether a model can run on the GPU tier: empty if it can, else the reason (which node has no GPU kernel). */
public final class GpuSupport {

    private static final long PROBE_DIM = 2;

    private GpuSupport() {
    }

    public static Optional<String> check(Graph graph) {
        Plan plan;
        try {
            plan = Planner.plan(graph);
        } catch (GraphException e) {
            return Optional.of(e.getMessage());
        }
        Layout probe;
        try {
            probe = Binder.unchecked(plan, probeSignature(graph));
        } catch (GraphException e) {
            return Optional.empty();
        }
        try {
            StepChecks.check(plan, probe);
            return Optional.empty();
        } catch (GraphException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Declared input shapes with every symbolic dimension {@value #PROBE_DIM}: a bind at these shapes finds the kernel
     * limits that need shapes. A model those shapes do not fit is judged on its operators alone.
     */
    private static Signature probeSignature(Graph graph) {
        Map<String, long[]> shapes = new HashMap<>();
        for (ValueInfo input : graph.inputs()) {
            shapes.put(input.name(), Arrays.stream(input.shape()).map(d -> d < 0 ? PROBE_DIM : d).toArray());
        }
        return Signature.of(shapes);
    }

    public static Optional<String> check(Path onnxFile) {
        try {
            return check(OnnxGraphReader.read(onnxFile));
        } catch (IOException | GraphException e) {
            return Optional.of("the model cannot be read: " + e.getMessage());
        }
    }
}
