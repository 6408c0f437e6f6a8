package io.trims.agent.tier;

import io.trims.runtime.LoadedModel;
import io.trims.runtime.ModelRuntime;

/**
 * What the GPU tier needs from a GPU executor: a runtime that loads models onto the device, the exact device bytes
 * a loaded model holds, and the device's memory now. Blocking; the tier owns it and closes it last.
 */
public interface GpuBackend extends AutoCloseable {

    /** The device's name, e.g. {@code NVIDIA H100 80GB HBM3}. */
    String deviceName();

    /** Free device memory now ({@code cuMemGetInfo}). */
    long freeBytes();

    /** The device's whole memory. */
    long totalBytes();

    /** Loads models onto the device; what it returns runs there. */
    ModelRuntime runtime();

    /** Bytes {@code model} holds on the device (weights and activation arena), counted at allocation. */
    long deviceBytes(LoadedModel model);

    /** Releases the device context; every model must be closed first. */
    @Override
    void close();
}
