package io.trims.bench;

import io.trims.gpu.exec.HostBuffer;
import io.trims.gpu.exec.HostKernels;
import io.trims.gpu.exec.PlanExecutor;
import io.trims.gpu.graph.Graph;
import io.trims.gpu.graph.OnnxGraphReader;
import io.trims.gpu.graph.ValueInfo;
import io.trims.gpu.plan.Planner;
import io.trims.runtime.LoadedModel;
import io.trims.runtime.ModelRuntime;
import io.trims.runtime.RuntimeLoadException;
import io.trims.protocol.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * trims' own executor on plain-Java host kernels: the same plan the GPU runs, each operator in Java. The CPU
 * baseline of the GPU executor (and a check that the harness runs the executor path on any machine).
 */
final class HostBaseline implements ModelRuntime {

    @Override
    public LoadedModel load(Path file) throws RuntimeLoadException {
        try {
            Graph graph = OnnxGraphReader.read(file);
            PlanExecutor<HostBuffer> executor = new PlanExecutor<>(Planner.plan(graph), new HostKernels());
            executor.load();
            return new Loaded(executor, names(graph.inputs()), names(graph.outputs()));
        } catch (IOException | RuntimeException e) {
            throw new RuntimeLoadException("the host executor cannot load " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
    }

    private static Set<String> names(List<ValueInfo> values) {
        return values.stream().map(ValueInfo::name).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    private record Loaded(PlanExecutor<HostBuffer> executor, Set<String> inputNames, Set<String> outputNames)
            implements LoadedModel {
        @Override
        public List<Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) {
            return executor.run(inputs, outputs);
        }

        @Override
        public void close() {
            executor.close();
        }
    }
}
