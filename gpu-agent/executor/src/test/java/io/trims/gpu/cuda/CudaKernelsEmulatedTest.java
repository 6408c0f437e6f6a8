package io.trims.gpu.cuda;

import org.junit.jupiter.api.AfterEach;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link CudaKernelsAgreement} without a GPU: {@link CudaKernels} drives the kernel interpreter, so every layout,
 * packed struct, grid and argument it hands to a launch is checked against the Java reference.
 */
class CudaKernelsEmulatedTest extends CudaKernelsAgreement {

    private final EmulatedDevice device = new EmulatedDevice();
    private CudaKernels kernels;

    @Override
    protected CudaKernels openKernels() {
        kernels = new CudaKernels(device, device.stream(), "emulated");
        return kernels;
    }

    @AfterEach
    void everyAllocationIsAccounted() {
        long held = device.bytes("emulated");
        assertEquals(held, device.freeAll("emulated"));
        assertEquals(0, device.totalBytes());
        kernels.close();
    }
}
