package io.trims.gpu.cuda;

import jcuda.driver.CUdeviceptr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Device memory emulated in heap buffers (little-endian, like the GPU), with the same exact accounting as
 * {@link DeviceMemory}; its {@link #stream()} runs launches through {@link KernelInterpreter}. Lets the whole
 * launch path of {@link CudaKernels} (layouts, packing, grids, argument order) run where there is no GPU.
 */
final class EmulatedDevice implements DeviceAllocator {

    private final Map<CUdeviceptr, ByteBuffer> memory = new IdentityHashMap<>();
    private final Map<CUdeviceptr, DeviceBuffer> allocations = new IdentityHashMap<>();
    private final ByteLedger ledger = new ByteLedger();

    @Override
    public synchronized DeviceBuffer allocate(String owner, long bytes) {
        long size = Math.max(1, bytes);
        CUdeviceptr base = new CUdeviceptr();
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
        // Fresh device memory is not zeroed: fill with a NaN pattern so that reads of unwritten memory show.
        for (int i = 0; i + 4 <= size; i += 4) {
            b.putInt(i, 0x7fc00bad);
        }
        memory.put(base, b);
        DeviceBuffer buffer = new DeviceBuffer(base, size, owner);
        allocations.put(base, buffer);
        ledger.add(owner, size);
        return buffer;
    }

    @Override
    public synchronized void free(DeviceBuffer buffer) {
        if (buffer.markFreed()) {
            memory.remove(buffer.base());
            allocations.remove(buffer.base());
            ledger.remove(buffer.owner(), buffer.bytes());
        }
    }

    @Override
    public synchronized List<DeviceBuffer> buffersOf(String owner) {
        return allocations.values().stream().filter(b -> b.owner().equals(owner)).toList();
    }

    @Override
    public long bytes(String owner) {
        return ledger.of(owner);
    }

    long totalBytes() {
        return ledger.total();
    }

    /** The bytes behind a buffer, positioned nowhere: index with {@code buffer.offset() + byteIndex}. */
    ByteBuffer bytesOf(DeviceBuffer buffer) {
        ByteBuffer b = memory.get(buffer.base());
        if (b == null || buffer.freed()) {
            throw new IllegalStateException("use of a freed or foreign device buffer");
        }
        return b;
    }

    DeviceStream stream() {
        KernelInterpreter interpreter = new KernelInterpreter(this);
        return new DeviceStream() {
            @Override
            public void upload(Object array, DeviceBuffer dst) {
                interpreter.upload(array, dst);
            }

            @Override
            public void download(DeviceBuffer src, Object array) {
                interpreter.download(src, array);
            }

            @Override
            public void copy(DeviceBuffer src, DeviceBuffer dst, long bytes) {
                interpreter.copy(src, dst, bytes);
            }

            @Override
            public void launch(CudaKernel kernel, LaunchGeometry.Grid grid, Object... args) {
                LaunchArgs.check(kernel, args);
                interpreter.run(kernel, grid, args);
            }

            @Override
            public void synchronize() {
            }

            @Override
            public void close() {
            }
        };
    }
}
