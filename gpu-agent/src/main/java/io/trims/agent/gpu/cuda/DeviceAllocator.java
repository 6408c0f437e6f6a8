package io.trims.agent.gpu.cuda;

/** Allocates and frees device buffers, accounting each to an owner. {@link DeviceMemory} on a CUDA device. */
public interface DeviceAllocator {

    /** A new buffer of {@code bytes} (at least 1) for {@code owner}. */
    DeviceBuffer allocate(String owner, long bytes);

    /** Frees an allocation (not a view); freeing twice does nothing. */
    void free(DeviceBuffer buffer);

    /** Frees everything of {@code owner}; returns the bytes freed. */
    long freeAll(String owner);

    /** Bytes {@code owner} holds. */
    long bytes(String owner);
}
