package io.trims.gpu.cuda;

import io.trims.gpu.GpuInfo;
import io.trims.gpu.GpuProbe;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A device, its memory accounting, the kernels and a staging buffer, for the {@code gpu}-tagged tests. */
final class DeviceFixture implements AutoCloseable {

    final CudaDevice device;
    final DeviceMemory memory;
    final KernelModule module;
    final PinnedStaging staging;

    DeviceFixture(int stagingBytes) {
        GpuInfo info = GpuProbe.probe();
        assertTrue(info.present(), "gpu-tagged tests need a GPU: " + info.reason());
        device = CudaDevice.open(0);
        memory = new DeviceMemory(device);
        module = KernelModule.load(device);
        staging = new PinnedStaging(device, stagingBytes);
    }

    CudaKernels kernels(String owner) {
        return new CudaKernels(memory, new CudaStream(module, staging), owner);
    }

    @Override
    public void close() {
        staging.close();
        module.close();
        device.close();
    }
}
