package io.trims.gpu.cuda;

import jcuda.driver.CUdeviceptr;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Grid computation, argument checking and packing, and byte accounting: everything of the launch path that needs no GPU. */
class LaunchHelpersTest {

    @Test
    void elementwiseGridsCoverSmallAndCapLargeCounts() {
        assertEquals(new LaunchGeometry.Grid(1, 1, 1, 256), LaunchGeometry.elementwise(0));
        assertEquals(new LaunchGeometry.Grid(1, 1, 1, 256), LaunchGeometry.elementwise(256));
        assertEquals(new LaunchGeometry.Grid(2, 1, 1, 256), LaunchGeometry.elementwise(257));
        assertEquals(LaunchGeometry.MAX_ELEMENTWISE_BLOCKS, LaunchGeometry.elementwise(1L << 30).x());
    }

    @Test
    void rowBlocksAreWarpMultiplesUpTo256() {
        assertEquals(32, LaunchGeometry.rows(10, 1).block());
        assertEquals(128, LaunchGeometry.rows(10, 128).block());
        assertEquals(64, LaunchGeometry.rows(10, 33).block());
        assertEquals(256, LaunchGeometry.rows(10, 384).block());
        assertEquals(49152, LaunchGeometry.rows(49152, 128).x());
        assertThrows(IllegalArgumentException.class, () -> LaunchGeometry.rows(0, 4));
        assertThrows(IllegalArgumentException.class, () -> new LaunchGeometry.Grid(1, 70000, 1, 32));
    }

    @Test
    void argumentsAreCheckedAgainstTheKernelsParameters() {
        DeviceBuffer p = new DeviceBuffer(new CUdeviceptr(), 64, "test");
        int[] strided = new StridePacking.Layout(new int[] {4}, new int[][] {{1}, {1}}).pack();
        LaunchArgs.check(CudaKernel.ADD_F32, p, p, p, 4, strided);
        LaunchArgs.check(CudaKernel.LAYERNORM_LAST_F32, p, p, null, p, 2, 8, 1e-12f);
        assertNotNull(LaunchArgs.pack(CudaKernel.SGEMM_F32, p, p, null, p, 1f, 0f,
                GemmShape.single(2, 2, 2, false, false).pack()));
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> LaunchArgs.check(CudaKernel.RELU_F32, p, p));
        assertTrue(count.getMessage().contains("takes 3 arguments"), count.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LaunchArgs.check(CudaKernel.RELU_F32, p, p, 4L));
        int[] strided3 = new StridePacking.Layout(new int[] {4}, new int[][] {{1}, {1}, {1}}).pack();
        assertThrows(IllegalArgumentException.class, () -> LaunchArgs.check(CudaKernel.SGEMM_F32, p, p, null, p, 1f,
                0f, strided3));
        assertThrows(IllegalArgumentException.class, () -> LaunchArgs.check(CudaKernel.LAYERNORM_LAST_F32, p, p, null,
                p, 2, 8, 1e-12));
    }

    @Test
    void theLedgerCountsBytesPerOwnerExactly() {
        ByteLedger ledger = new ByteLedger();
        ledger.add("minilm:1", 1000);
        ledger.add("minilm:1", 24);
        ledger.add("bge:1", 7);
        assertEquals(1024, ledger.of("minilm:1"));
        assertEquals(1031, ledger.total());
        ledger.remove("minilm:1", 1024);
        assertEquals(0, ledger.of("minilm:1"));
        assertEquals(java.util.Map.of("bge:1", 7L), ledger.snapshot());
        assertThrows(IllegalStateException.class, () -> ledger.remove("bge:1", 8));
        assertEquals(7, ledger.total());
    }
}
