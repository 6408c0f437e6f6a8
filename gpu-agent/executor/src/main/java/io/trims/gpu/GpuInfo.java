package io.trims.gpu;

/**
 * What the GPU probe found.
 *
 * @param present    a CUDA device could be used
 * @param name       the first device's name, or empty
 * @param totalBytes device memory of the first device, 0 when absent
 * @param freeBytes  free device memory when probed, 0 when absent
 * @param reason     why the GPU tier is absent, or empty when present
 */
public record GpuInfo(boolean present, String name, long totalBytes, long freeBytes, String reason) {

    public static GpuInfo absent(String reason) {
        return new GpuInfo(false, "", 0, 0, reason);
    }
}
