package io.trims.gpu.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Host-to-device copies through one reused page-locked buffer ({@code cuMemAllocHost}): a chunk of the source is
 * copied into it, sent with {@code cuMemcpyHtoDAsync}, and the stream synchronised before
 * the buffer is refilled. Pinned memory lets the DMA engine read the host directly (pageable copies are staged
 * by the driver at lower bandwidth). Uploads go on the caller's stream, so they stay in order with the kernels
 * queued there; one upload at a time. Device-to-host copies go straight into Java arrays.
 */
public final class PinnedStaging implements AutoCloseable {

    public static final int DEFAULT_BYTES = 8 << 20;

    private final CudaDevice device;
    private final Pointer host = new Pointer();
    private final ByteBuffer view;
    private boolean closed;

    public PinnedStaging(CudaDevice device, int capacityBytes) {
        this.device = device;
        device.makeCurrent();
        JCudaDriver.cuMemAllocHost(host, capacityBytes);
        this.view = host.getByteBuffer(0, capacityBytes).order(ByteOrder.nativeOrder());
    }

    /** Copies a primitive array (float[], int[], long[], byte[], boolean[] as 0/1 bytes) to {@code dst}. */
    public synchronized void upload(Object array, CUdeviceptr dst, CUstream stream) {
        int width = HostArrays.elementBytes(array);
        int length = HostArrays.length(array);
        int perChunk = view.capacity() / width;
        device.makeCurrent();
        for (int from = 0; from < length; from += perChunk) {
            int count = Math.min(perChunk, length - from);
            view.clear();
            HostArrays.put(view, array, from, count);
            JCudaDriver.cuMemcpyHtoDAsync(dst.withByteOffset((long) from * width), host, (long) count * width, stream);
            JCudaDriver.cuStreamSynchronize(stream);
        }
    }

    /** Copies {@code src}'s bytes (position to limit) to {@code dst}. */
    public synchronized void upload(ByteBuffer src, CUdeviceptr dst, CUstream stream) {
        ByteBuffer in = src.duplicate();
        long at = 0;
        device.makeCurrent();
        while (in.hasRemaining()) {
            int count = Math.min(view.capacity(), in.remaining());
            view.clear();
            ByteBuffer part = in.slice();
            part.limit(count);
            view.put(part);
            in.position(in.position() + count);
            JCudaDriver.cuMemcpyHtoDAsync(dst.withByteOffset(at), host, count, stream);
            JCudaDriver.cuStreamSynchronize(stream);
            at += count;
        }
    }

    /**
     * Copies device memory into a primitive array of the right length (boolean[] read as 0/1 bytes). Synchronous;
     * the caller synchronises the stream that wrote {@code src} first.
     */
    public void download(CUdeviceptr src, Object array) {
        device.makeCurrent();
        if (array instanceof boolean[] flags) {
            byte[] raw = new byte[flags.length];
            JCudaDriver.cuMemcpyDtoH(Pointer.to(raw), src, raw.length);
            for (int i = 0; i < raw.length; i++) {
                flags[i] = raw[i] != 0;
            }
            return;
        }
        long bytes = (long) HostArrays.length(array) * HostArrays.elementBytes(array);
        JCudaDriver.cuMemcpyDtoH(HostArrays.pointerTo(array), src, bytes);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            device.makeCurrent();
            JCudaDriver.cuMemFreeHost(host);
        }
    }
}
