package io.trims.gpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.trims.gpu.testing.RequiresGpu;

/** Runs only where a GPU is ({@code -Dgroups=gpu}); the default build excludes the gpu tag. */
@RequiresGpu
class GpuProbeOnDeviceTest {

    @Test
    void aMachineWithACudaDeviceHasAGpuTier() {
        GpuInfo info = GpuProbe.probe();
        assertTrue(info.present(), info.reason());
        assertFalse(info.name().isBlank());
        assertTrue(info.totalBytes() > 0 && info.freeBytes() <= info.totalBytes(), info.toString());
    }
}
