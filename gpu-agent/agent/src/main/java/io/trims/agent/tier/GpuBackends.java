package io.trims.agent.tier;

import io.trims.gpu.GpuInfo;
import io.trims.gpu.cuda.GpuRuntime;

import java.util.Optional;

/** Opens the GPU executor this build ships (trims' CUDA runtime) on the device the probe found. */
public final class GpuBackends {

    private GpuBackends() {
    }

    /**
     * The executor on device 0, or empty where the probe found no GPU (JCuda is then never touched).
     *
     * @throws RuntimeException when a device exists but the executor cannot start on it (e.g. its PTX does not load)
     */
    public static Optional<GpuBackend> open(GpuInfo device) {
        if (!device.present()) {
            return Optional.empty();
        }
        return Optional.of(new CudaGpuBackend(GpuRuntime.open(0)));
    }
}
