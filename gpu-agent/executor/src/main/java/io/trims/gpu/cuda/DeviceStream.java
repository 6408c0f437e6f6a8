package io.trims.gpu.cuda;

/**
 * An in-order queue of device work: transfers, copies and kernel launches. Launch arguments follow
 * {@link LaunchArgs}: a {@link DeviceBuffer} (or null) for each pointer parameter. {@link CudaStream} on a CUDA
 * device.
 */
public interface DeviceStream extends AutoCloseable {

    /** Copies a primitive array (float[], int[], long[], byte[], boolean[] as 0/1 bytes) into {@code dst}. */
    void upload(Object array, DeviceBuffer dst);

    /** Waits for the queued work, then copies {@code src} into the array (its length says how much). */
    void download(DeviceBuffer src, Object array);

    void copy(DeviceBuffer src, DeviceBuffer dst, long bytes);

    void launch(CudaKernel kernel, LaunchGeometry.Grid grid, Object... args);

    /** Waits for everything queued. */
    void synchronize();

    @Override
    void close();
}
