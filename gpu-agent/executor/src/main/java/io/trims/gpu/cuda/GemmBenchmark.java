package io.trims.gpu.cuda;

import jcuda.driver.CUevent;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/** Measures trims' SGEMM kernel: an M x N x K product run back to back, timed with CUDA events. */
public final class GemmBenchmark {

    /** One measurement: the shape, repetitions, seconds on the device for all of them, and FLOP/s. */
    public record Measurement(int m, int n, int k, int reps, double seconds, double flopsPerSecond) {
    }

    private GemmBenchmark() {
    }

    /**
     * Runs C = A B (A m x k, B k x n, filled with small constants) {@code reps} times after one warm-up launch and
     * returns 2mnk * reps / elapsed. The buffers are allocated and freed here, under owner "gemm-benchmark".
     */
    public static Measurement sgemm(DeviceMemory memory, KernelModule kernels, int m, int n, int k, int reps) {
        if (reps < 1) {
            throw new IllegalArgumentException("reps must be at least 1");
        }
        String owner = "gemm-benchmark";
        CudaDevice device = memory.device();
        CUevent start = new CUevent();
        CUevent stop = new CUevent();
        device.makeCurrent();
        JCudaDriver.cuEventCreate(start, 0);
        JCudaDriver.cuEventCreate(stop, 0);
        try {
            DeviceBuffer a = memory.allocate(owner, 4L * m * k);
            DeviceBuffer b = memory.allocate(owner, 4L * k * n);
            DeviceBuffer c = memory.allocate(owner, 4L * m * n);
            fill(kernels, a, m * k, 0.5f);
            fill(kernels, b, k * n, 0.25f);
            GemmShape shape = GemmShape.single(m, n, k, false, false);
            Object[] args = {a, b, null, c, 1.0f, 0.0f, shape.pack()};
            kernels.launch(shape.kernel(), shape.grid(), null, args);
            device.makeCurrent();
            JCudaDriver.cuEventRecord(start, (CUstream) null);
            for (int i = 0; i < reps; i++) {
                kernels.launch(shape.kernel(), shape.grid(), null, args);
            }
            JCudaDriver.cuEventRecord(stop, (CUstream) null);
            JCudaDriver.cuEventSynchronize(stop);
            float[] ms = new float[1];
            JCudaDriver.cuEventElapsedTime(ms, start, stop);
            double seconds = ms[0] / 1000.0;
            return new Measurement(m, n, k, reps, seconds, shape.flops() * reps / seconds);
        } finally {
            device.makeCurrent();
            JCudaDriver.cuEventDestroy(start);
            JCudaDriver.cuEventDestroy(stop);
            memory.freeAll(owner);
        }
    }

    private static void fill(KernelModule kernels, DeviceBuffer buffer, int n, float value) {
        kernels.launch(CudaKernel.FILL_B32, LaunchGeometry.elementwise(n), null, buffer,
                Float.floatToRawIntBits(value), n);
    }
}
