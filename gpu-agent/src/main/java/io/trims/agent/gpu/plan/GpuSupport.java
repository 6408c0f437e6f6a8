package io.trims.agent.gpu.plan;

import io.trims.agent.gpu.graph.GraphException;
import io.trims.agent.gpu.graph.Graph;
import io.trims.agent.gpu.graph.OnnxGraphReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Whether a model can run on the GPU tier: empty if it can, else the reason (which node has no GPU kernel). */
public final class GpuSupport {

    private GpuSupport() {
    }

    public static Optional<String> check(Graph graph) {
        try {
            Planner.plan(graph);
            return Optional.empty();
        } catch (GraphException e) {
            return Optional.of(e.getMessage());
        }
    }

    public static Optional<String> check(Path onnxFile) {
        try {
            return check(OnnxGraphReader.read(onnxFile));
        } catch (IOException | GraphException e) {
            return Optional.of("the model cannot be read: " + e.getMessage());
        }
    }
}
