package io.trims.gpu.cuda;

import io.trims.gpu.GpuProbe;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where no GPU exists, opening the GPU runtime fails with the probe's reason and leaves JCuda untouched. */
class GpuRuntimeWithoutGpuTest {

    @Test
    void openingWithoutAGpuSaysWhy() {
        Assumptions.assumeFalse(GpuProbe.probe().present(), "this machine has a GPU");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GpuRuntime.open(0));
        assertTrue(e.getMessage().startsWith("no GPU: "), e.getMessage());
        assertTrue(e.getMessage().contains(GpuProbe.probe().reason()), e.getMessage());
    }
}
