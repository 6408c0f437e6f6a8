package io.trims.gpu.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A device allocation (or a window into one): the allocation's base pointer, the byte offset into it, the exact
 * size in bytes and the owner it is accounted to. Made by a {@link DeviceAllocator}; windows by {@link #view}.
 */
public final class DeviceBuffer {

    private final DeviceBuffer root;
    private final CUdeviceptr base;
    private final long offset;
    private final long bytes;
    private final String owner;
    private boolean freed;

    /** A new allocation at {@code base}. */
    public DeviceBuffer(CUdeviceptr base, long bytes, String owner) {
        this(null, base, 0, bytes, owner);
    }

    private DeviceBuffer(DeviceBuffer root, CUdeviceptr base, long offset, long bytes, String owner) {
        this.root = root;
        this.base = base;
        this.offset = offset;
        this.bytes = bytes;
        this.owner = owner;
    }

    /** The device pointer (base plus offset); using it after the allocation was freed is an error. */
    public CUdeviceptr pointer() {
        if (allocation().freed) {
            throw new IllegalStateException("device buffer of " + bytes + " bytes (" + owner + ") was freed");
        }
        return offset == 0 ? base : base.withByteOffset(offset);
    }

    /** A window into this buffer; not allocated, not accounted, never freed (it dies with its allocation). */
    public DeviceBuffer view(long offsetBytes, long bytes) {
        if (offsetBytes < 0 || bytes < 0 || offsetBytes + bytes > this.bytes) {
            throw new IndexOutOfBoundsException("view of " + bytes + " bytes at " + offsetBytes + " outside "
                    + this.bytes + " bytes");
        }
        return new DeviceBuffer(allocation(), base, offset + offsetBytes, bytes, owner);
    }

    /** The allocation this buffer is, or is a window into. */
    public DeviceBuffer allocation() {
        return root == null ? this : root;
    }

    /** The allocation's base pointer, as allocated. */
    public CUdeviceptr base() {
        return base;
    }

    /** Bytes from the allocation's base to this buffer's first byte. */
    public long offset() {
        return offset;
    }

    public long bytes() {
        return bytes;
    }

    public String owner() {
        return owner;
    }

    /** A window made by {@link #view}, which must not be freed. */
    public boolean isView() {
        return root != null;
    }

    public boolean freed() {
        return allocation().freed;
    }

    /** Marks the allocation freed; returns false when it already was. For allocators only. */
    boolean markFreed() {
        if (isView()) {
            throw new IllegalArgumentException("a view of a device buffer cannot be freed; free the buffer");
        }
        if (freed) {
            return false;
        }
        freed = true;
        return true;
    }
}
