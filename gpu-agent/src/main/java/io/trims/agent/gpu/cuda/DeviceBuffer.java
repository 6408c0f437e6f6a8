package io.trims.agent.gpu.cuda;

import jcuda.driver.CUdeviceptr;

/** A device allocation made by {@link DeviceMemory}: its pointer, exact size in bytes and owner. */
public final class DeviceBuffer {

    private final CUdeviceptr pointer;
    private final long bytes;
    private final String owner;
    private final boolean view;
    private boolean freed;

    DeviceBuffer(CUdeviceptr pointer, long bytes, String owner, boolean view) {
        this.pointer = pointer;
        this.bytes = bytes;
        this.owner = owner;
        this.view = view;
    }

    /** The device pointer; using it after {@link DeviceMemory#free} is an error. */
    public CUdeviceptr pointer() {
        if (freed) {
            throw new IllegalStateException("device buffer of " + bytes + " bytes (" + owner + ") was freed");
        }
        return pointer;
    }

    /** The pointer {@code offsetBytes} into the buffer. */
    public CUdeviceptr at(long offsetBytes) {
        if (offsetBytes < 0 || offsetBytes > bytes) {
            throw new IndexOutOfBoundsException("offset " + offsetBytes + " outside " + bytes + " bytes");
        }
        return pointer().withByteOffset(offsetBytes);
    }

    /** The pointer even after it was marked freed: for {@link DeviceMemory}'s own {@code cuMemFree}. */
    CUdeviceptr pointerUnchecked() {
        return pointer;
    }

    /** A window into this buffer; not allocated, not accounted, never freed (it dies with its buffer). */
    public DeviceBuffer view(long offsetBytes, long bytes) {
        if (bytes < 0 || offsetBytes + bytes > this.bytes) {
            throw new IndexOutOfBoundsException("view of " + bytes + " bytes at " + offsetBytes + " outside "
                    + this.bytes + " bytes");
        }
        return new DeviceBuffer(at(offsetBytes), bytes, owner, true);
    }

    public long bytes() {
        return bytes;
    }

    public String owner() {
        return owner;
    }

    /** A window made by {@link #view}, which must not be freed. */
    public boolean isView() {
        return view;
    }

    public boolean freed() {
        return freed;
    }

    /** Marks it freed; returns false when it already was. Called by {@link DeviceMemory} only. */
    boolean markFreed() {
        if (freed) {
            return false;
        }
        freed = true;
        return true;
    }
}
