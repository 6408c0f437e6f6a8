package io.trims.gpu.cuda;

import java.util.List;

/** Allocates and frees device buffers, accounting each to an owner. {@link DeviceMemory} on a CUDA device. */
public interface DeviceAllocator {

    /** A new buffer of {@code bytes} (at least 1) for {@code owner}. */
    DeviceBuffer allocate(String owner, long bytes);

    /** Frees an allocation (not a view); freeing twice does nothing. */
    void free(DeviceBuffer buffer);

    /** The live allocations of {@code owner}, a snapshot. */
    List<DeviceBuffer> buffersOf(String owner);

    /** Frees everything of {@code owner}; returns the bytes freed. */
    default long freeAll(String owner) {
        long bytes = 0;
        for (DeviceBuffer b : buffersOf(owner)) {
            bytes += b.bytes();
            free(b);
        }
        return bytes;
    }

    /** Bytes {@code owner} holds. */
    long bytes(String owner);
}
