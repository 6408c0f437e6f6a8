package io.trims.agent.tier;

import io.trims.gpu.cuda.GpuRuntime;
import io.trims.runtime.LoadedModel;
import io.trims.runtime.ModelRuntime;

/** The GPU tier's view of trims' CUDA executor ({@link GpuRuntime}: driver API, our own kernels). */
final class CudaGpuBackend implements GpuBackend {

    private final GpuRuntime runtime;

    CudaGpuBackend(GpuRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String deviceName() {
        return runtime.deviceName();
    }

    @Override
    public long freeBytes() {
        return runtime.memInfo().freeBytes();
    }

    @Override
    public long totalBytes() {
        return runtime.memInfo().totalBytes();
    }

    @Override
    public ModelRuntime runtime() {
        return runtime;
    }

    @Override
    public long deviceBytes(LoadedModel model) {
        return runtime.deviceBytes(model);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
