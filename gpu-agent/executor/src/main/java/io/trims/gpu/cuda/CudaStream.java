package io.trims.gpu.cuda;

import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/** A CUDA stream of its own; uploads through the shared pinned staging buffer, launches from the loaded module. */
public final class CudaStream implements DeviceStream {

    private final KernelModule module;
    private final PinnedStaging staging;
    private final CUstream stream = new CUstream();
    private boolean closed;

    public CudaStream(KernelModule module, PinnedStaging staging) {
        this.module = module;
        this.staging = staging;
        module.device().makeCurrent();
        JCudaDriver.cuStreamCreate(stream, 0);
    }

    @Override
    public void upload(Object array, DeviceBuffer dst) {
        staging.upload(array, dst.pointer(), stream);
    }

    @Override
    public void download(DeviceBuffer src, Object array) {
        synchronize();
        staging.download(src.pointer(), array);
    }

    @Override
    public void copy(DeviceBuffer src, DeviceBuffer dst, long bytes) {
        module.device().makeCurrent();
        JCudaDriver.cuMemcpyDtoDAsync(dst.pointer(), src.pointer(), bytes, stream);
    }

    @Override
    public void launch(CudaKernel kernel, LaunchGeometry.Grid grid, Object... args) {
        module.launch(kernel, grid, stream, args);
    }

    @Override
    public void synchronize() {
        module.device().makeCurrent();
        JCudaDriver.cuStreamSynchronize(stream);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            synchronize();
            JCudaDriver.cuStreamDestroy(stream);
        }
    }
}
