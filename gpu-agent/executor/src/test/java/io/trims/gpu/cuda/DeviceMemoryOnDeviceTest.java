package io.trims.gpu.cuda;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.trims.gpu.testing.RequiresGpu;

/** Exact accounting against the driver's own count, and pinned transfers that span several staging chunks. */
@RequiresGpu
class DeviceMemoryOnDeviceTest {

    private static final long MIB = 1 << 20;
    private static DeviceFixture gpu;

    @BeforeAll
    static void open() {
        gpu = new DeviceFixture(4096); // small on purpose: every transfer below takes several chunks
    }

    @AfterAll
    static void close() {
        gpu.close();
    }

    @Test
    void bytesAreCountedPerOwnerAndReturnedOnFreeAll() {
        long before = gpu.device.memInfo().freeBytes();
        for (int i = 0; i < 10; i++) {
            gpu.memory.allocate("a", 8 * MIB + i);
        }
        gpu.memory.allocate("b", 3);
        assertEquals(80 * MIB + 45, gpu.memory.bytes("a"));
        assertEquals(3, gpu.memory.bytes("b"));
        assertEquals(80 * MIB + 48, gpu.memory.totalBytes());
        long during = gpu.device.memInfo().freeBytes();
        assertTrue(before - during >= 80 * MIB, "the driver sees the allocations: " + (before - during));
        assertEquals(80 * MIB + 45, gpu.memory.freeAll("a"));
        assertEquals(3, gpu.memory.freeAll("b"));
        assertEquals(0, gpu.memory.totalBytes());
        long after = gpu.device.memInfo().freeBytes();
        assertTrue(Math.abs(after - before) <= 2 * MIB, "freed memory returns to the driver: " + before + " -> " + after);
    }

    @Test
    void pinnedUploadsAndDownloadsRoundTripEveryType() {
        try (CudaKernels k = gpu.kernels("transfers")) {
            Random random = new Random(1);
            float[] floats = new float[10_007];
            long[] longs = new long[3001];
            int[] ints = new int[2999];
            boolean[] bools = new boolean[9001];
            for (int i = 0; i < floats.length; i++) {
                floats[i] = random.nextFloat();
            }
            for (int i = 0; i < longs.length; i++) {
                longs[i] = random.nextLong();
            }
            for (int i = 0; i < ints.length; i++) {
                ints[i] = random.nextInt();
            }
            for (int i = 0; i < bools.length; i++) {
                bools[i] = random.nextBoolean();
            }
            DeviceBuffer f = k.allocate(4L * floats.length);
            DeviceBuffer l = k.allocate(8L * longs.length);
            DeviceBuffer n = k.allocate(4L * ints.length);
            DeviceBuffer b = k.allocate(bools.length);
            k.uploadFloats(f, floats);
            k.uploadLongs(l, longs);
            k.uploadInts(n, ints);
            k.uploadBools(b, bools);
            assertArrayEquals(floats, k.downloadFloats(f, floats.length));
            assertArrayEquals(longs, k.downloadLongs(l, longs.length));
            assertArrayEquals(ints, k.downloadInts(n, ints.length));
            assertArrayEquals(bools, k.downloadBools(b, bools.length));
            DeviceBuffer window = k.view(f, 400, 40);
            float[] tenth = new float[10];
            System.arraycopy(floats, 100, tenth, 0, 10);
            assertArrayEquals(tenth, k.downloadFloats(window, 10));
            assertThrows(IllegalArgumentException.class, () -> k.free(window));
            assertEquals(4L * floats.length + 8L * longs.length + 4L * ints.length + bools.length,
                    gpu.memory.bytes("transfers"));
        } finally {
            gpu.memory.freeAll("transfers");
        }
        assertEquals(0, gpu.memory.bytes("transfers"));
    }
}
