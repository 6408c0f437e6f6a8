package io.trims.gpu;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

class GpuProbeTest {

    private static boolean driverInstalled() {
        return Stream.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1", "/usr/lib64/libcuda.so.1", "/usr/lib/libcuda.so.1")
                .anyMatch(p -> Files.exists(Path.of(p)));
    }

    @Test
    void withoutACudaDriverTheTierIsAbsentAndTheProbeDoesNotThrow() {
        Assumptions.assumeFalse(driverInstalled(), "this machine has a CUDA driver");
        GpuInfo info = assertDoesNotThrow(GpuProbe::probe);
        assertFalse(info.present());
        assertEquals(0, info.totalBytes());
        assertFalse(info.reason().isBlank());
        assertSame(info, GpuProbe.probe(), "the answer is remembered, not probed again");
    }
}
