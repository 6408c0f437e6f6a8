package io.trims.gpu.cuda;

import io.trims.gpu.exec.PlanExecutor;
import io.trims.gpu.graph.Graph;
import io.trims.gpu.graph.GraphException;
import io.trims.gpu.graph.OnnxGraphReader;
import io.trims.gpu.plan.Plan;
import io.trims.gpu.plan.Planner;
import io.trims.runtime.LoadedModel;
import io.trims.runtime.ModelRuntime;
import io.trims.runtime.RuntimeLoadException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs ONNX models on a CUDA device with trims' own kernels: a load reads the graph, plans it (shape subgraphs on
 * the host, device steps, arena), uploads the weights once through pinned memory, and returns a model whose runs
 * execute on the device. Each loaded model is one owner in {@link DeviceMemory}, so {@link #deviceBytes} is exact
 * (weights plus activation arena, counted at allocation) and closing the model frees all of it.
 *
 * <p>Open it only where {@link io.trims.gpu.GpuProbe} found a device.
 */
public final class GpuRuntime implements ModelRuntime {

    private final CudaDevice device;
    private final DeviceMemory memory;
    private final KernelModule module;
    private final PinnedStaging staging;
    private final AtomicLong loads = new AtomicLong();

    private GpuRuntime(CudaDevice device) {
        this.device = device;
        this.memory = new DeviceMemory(device);
        this.module = KernelModule.load(device);
        this.staging = new PinnedStaging(device, PinnedStaging.DEFAULT_BYTES);
    }

    /** A context on device {@code ordinal} with trims' kernels loaded; throws where there is no usable GPU. */
    public static GpuRuntime open(int ordinal) {
        CudaDevice device = CudaDevice.open(ordinal);
        try {
            return new GpuRuntime(device);
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }

    @Override
    public LoadedModel load(Path file) throws RuntimeLoadException {
        Plan plan;
        try {
            Graph graph = OnnxGraphReader.read(file);
            plan = Planner.plan(graph);
        } catch (IOException | GraphException e) {
            throw new RuntimeLoadException("the GPU runtime cannot run " + file.getFileName() + ": " + e.getMessage(), e);
        }
        String owner = file.getFileName() + "#" + loads.incrementAndGet();
        CudaKernels kernels = new CudaKernels(memory, new CudaStream(module, staging), owner);
        PlanExecutor<DeviceBuffer> executor = new PlanExecutor<>(plan, kernels);
        try {
            executor.load();
        } catch (RuntimeException e) {
            executor.close();
            kernels.close();
            memory.freeAll(owner);
            throw new RuntimeLoadException("uploading " + file.getFileName() + " to the GPU failed: " + e.getMessage(), e);
        }
        return new GpuLoadedModel(plan, executor, kernels, memory);
    }

    /** Bytes {@code model} (from this runtime) holds on the device now: weights plus its activation arena. */
    public long deviceBytes(LoadedModel model) {
        if (!(model instanceof GpuLoadedModel gpu)) {
            throw new IllegalArgumentException("not a model of the GPU runtime: " + model);
        }
        return memory.bytes(gpu.owner());
    }

    public String deviceName() {
        return device.name();
    }

    public CudaDevice.MemInfo memInfo() {
        return device.memInfo();
    }

    /** The accounting of every allocation, per loaded model. */
    public DeviceMemory memory() {
        return memory;
    }

    /** FP32 GEMM throughput of trims' kernel on this device (see {@link GemmBenchmark#sgemm}). */
    public GemmBenchmark.Measurement sgemm(int m, int n, int k, int reps) {
        return GemmBenchmark.sgemm(memory, module, m, n, k, reps);
    }

    /** Unloads the kernels and destroys the context; models must be closed first (the context frees any rest). */
    @Override
    public void close() {
        staging.close();
        module.close();
        device.close();
    }
}
