package io.trims.gpu.cuda;

import io.trims.gpu.GpuInfo;
import io.trims.gpu.GpuProbe;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

/**
 * One CUDA device and the context trims creates on it. Context handling: a driver context is current per thread,
 * and trims' callers arrive on arbitrary worker threads, so every entry point that touches the driver calls
 * {@link #makeCurrent()} first ({@code cuCtxSetCurrent} is a cheap thread-local store). Work is serialised per
 * model by its caller; kernels run on the calling thread's stream and each operation synchronises before
 * returning, so no thread ever waits on another's unfinished work.
 *
 * <p>Only {@link #open} touches JCuda, and only after {@link GpuProbe} found a device: on a machine without
 * libcuda.so.1 the first touch of {@code JCudaDriver} would throw and poison the class for the JVM.
 */
public final class CudaDevice implements AutoCloseable {

    /** Free and total device memory as the driver reports them ({@code cuMemGetInfo}). */
    public record MemInfo(long freeBytes, long totalBytes) {
    }

    private final CUcontext context;
    private final String name;
    private final long totalBytes;
    private final int ordinal;
    private volatile boolean closed;

    private CudaDevice(CUcontext context, String name, long totalBytes, int ordinal) {
        this.context = context;
        this.name = name;
        this.totalBytes = totalBytes;
        this.ordinal = ordinal;
    }

    /** Creates a context on device {@code ordinal}; fails with the probe's reason where there is no GPU. */
    public static CudaDevice open(int ordinal) {
        GpuInfo info = GpuProbe.probe();
        if (!info.present()) {
            throw new IllegalStateException("no GPU: " + info.reason());
        }
        JCudaDriver.setExceptionsEnabled(true);
        JCudaDriver.cuInit(0);
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, ordinal);
        long[] total = new long[1];
        JCudaDriver.cuDeviceTotalMem(total, device);
        CUcontext context = new CUcontext();
        JCudaDriver.cuCtxCreate(context, 0, device);
        return new CudaDevice(context, GpuProbe.deviceName(device), total[0], ordinal);
    }

    /** Makes this device's context current on the calling thread; call before any driver call. */
    public void makeCurrent() {
        if (closed) {
            throw new IllegalStateException("CUDA device " + ordinal + " is closed");
        }
        JCudaDriver.cuCtxSetCurrent(context);
    }

    public MemInfo memInfo() {
        makeCurrent();
        long[] free = new long[1];
        long[] total = new long[1];
        JCudaDriver.cuMemGetInfo(free, total);
        return new MemInfo(free[0], total[0]);
    }

    /** Waits for all work on the device's context. */
    public void synchronize() {
        makeCurrent();
        JCudaDriver.cuCtxSynchronize();
    }

    public String name() {
        return name;
    }

    public long totalBytes() {
        return totalBytes;
    }

    public int ordinal() {
        return ordinal;
    }

    /** Destroys the context, which frees whatever device memory is still allocated in it. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            JCudaDriver.cuCtxDestroy(context);
        }
    }
}
