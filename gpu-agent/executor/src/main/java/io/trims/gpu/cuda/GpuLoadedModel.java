package io.trims.gpu.cuda;

import io.trims.gpu.exec.PlanExecutor;
import io.trims.gpu.graph.ValueInfo;
import io.trims.gpu.plan.Plan;
import io.trims.runtime.InferenceException;
import io.trims.runtime.LoadedModel;
import io.trims.protocol.tensor.Tensor;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A model resident on the GPU: its executor over {@link CudaKernels}. Runs are serialised (one arena). */
final class GpuLoadedModel implements LoadedModel {

    private final PlanExecutor<DeviceBuffer> executor;
    private final CudaKernels kernels;
    private final DeviceMemory memory;
    private final Set<String> inputs = new LinkedHashSet<>();
    private final Set<String> outputs = new LinkedHashSet<>();
    private boolean closed;

    GpuLoadedModel(Plan plan, PlanExecutor<DeviceBuffer> executor, CudaKernels kernels, DeviceMemory memory) {
        this.executor = executor;
        this.kernels = kernels;
        this.memory = memory;
        plan.graph().inputs().stream().map(ValueInfo::name).forEach(inputs::add);
        plan.graph().outputs().stream().map(ValueInfo::name).forEach(outputs::add);
    }

    String owner() {
        return kernels.owner();
    }

    @Override
    public Set<String> inputNames() {
        return Set.copyOf(inputs);
    }

    @Override
    public Set<String> outputNames() {
        return Set.copyOf(outputs);
    }

    @Override
    public synchronized List<Tensor> run(Map<String, Tensor> given, Set<String> wanted) throws InferenceException {
        if (closed) {
            throw new InferenceException("the model was unloaded from the GPU", false, null);
        }
        for (String name : given.keySet()) {
            if (!inputs.contains(name)) {
                throw new InferenceException("unknown input '" + name + "'; the model takes " + inputs, true, null);
            }
        }
        for (String name : wanted) {
            if (!outputs.contains(name)) {
                throw new InferenceException("unknown output '" + name + "'; the model gives " + outputs, true, null);
            }
        }
        try {
            return executor.run(given, wanted);
        } catch (IllegalArgumentException e) {
            // The executor's shape and type checks of the inputs.
            throw new InferenceException(e.getMessage(), true, e);
        } catch (RuntimeException e) {
            throw new InferenceException("the GPU run failed: " + e.getMessage(), false, e);
        }
    }

    /** Frees the weights and arena; anything else still held under this model's owner is freed too. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                executor.close();
                kernels.close();
            } finally {
                memory.freeAll(kernels.owner());
            }
        }
    }
}
