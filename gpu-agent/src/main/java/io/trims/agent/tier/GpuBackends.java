package io.trims.agent.tier;

import io.trims.agent.gpu.GpuInfo;

import java.util.Optional;

/** Opens the GPU executor this build ships, on the device the probe found. */
public final class GpuBackends {

    private GpuBackends() {
    }

    /**
     * The executor on the probed device, or empty with the reason logged by the caller when this build has none.
     *
     * @throws RuntimeException when a device exists but the executor cannot start on it
     */
    public static Optional<GpuBackend> open(GpuInfo device) {
        if (!device.present()) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
