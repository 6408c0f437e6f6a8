package io.trims.gpu.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Device memory with exact accounting: every {@code cuMemAlloc} is recorded against an owner (a model's key, or
 * the runtime's own scratch), so the GPU tier knows to the byte what each resident model holds, and
 * {@link #freeAll} returns everything of an owner on unload.
 */
public final class DeviceMemory implements DeviceAllocator {

    private final CudaDevice device;
    private final ByteLedger ledger = new ByteLedger();
    private final Map<String, List<DeviceBuffer>> live = new HashMap<>();

    public DeviceMemory(CudaDevice device) {
        this.device = device;
    }

    /** Allocates {@code bytes} (at least 1; the driver refuses 0) for {@code owner}. */
    @Override
    public DeviceBuffer allocate(String owner, long bytes) {
        long size = Math.max(1, bytes);
        device.makeCurrent();
        CUdeviceptr pointer = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(pointer, size);
        DeviceBuffer buffer = new DeviceBuffer(pointer, size, owner);
        synchronized (live) {
            live.computeIfAbsent(owner, o -> new ArrayList<>()).add(buffer);
        }
        ledger.add(owner, size);
        return buffer;
    }

    /** Frees one buffer; freeing it twice is a no-op. */
    @Override
    public void free(DeviceBuffer buffer) {
        synchronized (live) {
            if (!buffer.markFreed()) {
                return;
            }
            List<DeviceBuffer> held = live.get(buffer.owner());
            if (held != null) {
                held.remove(buffer);
                if (held.isEmpty()) {
                    live.remove(buffer.owner());
                }
            }
        }
        device.makeCurrent();
        JCudaDriver.cuMemFree(buffer.base());
        ledger.remove(buffer.owner(), buffer.bytes());
    }

    @Override
    public List<DeviceBuffer> buffersOf(String owner) {
        synchronized (live) {
            return live.containsKey(owner) ? List.copyOf(live.get(owner)) : List.of();
        }
    }

    /** Bytes held by {@code owner}. */
    @Override
    public long bytes(String owner) {
        return ledger.of(owner);
    }

    /** Bytes held by all owners. */
    public long totalBytes() {
        return ledger.total();
    }

    public Map<String, Long> byOwner() {
        return ledger.snapshot();
    }

    public CudaDevice device() {
        return device;
    }
}
