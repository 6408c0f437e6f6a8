package io.trims.gpu.cuda;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import io.trims.gpu.testing.RequiresGpu;

/** {@link CudaKernelsAgreement} on the GPU: trims' PTX kernels against the Java reference. */
@RequiresGpu
class CudaKernelsOnDeviceTest extends CudaKernelsAgreement {

    private static DeviceFixture gpu;
    private CudaKernels kernels;

    @BeforeAll
    static void open() {
        gpu = new DeviceFixture(1 << 16);
    }

    @AfterAll
    static void close() {
        gpu.close();
    }

    @Override
    protected CudaKernels openKernels() {
        kernels = gpu.kernels("kernels-test");
        return kernels;
    }

    @AfterEach
    void freeAll() {
        kernels.close();
        gpu.memory.freeAll("kernels-test");
    }
}
