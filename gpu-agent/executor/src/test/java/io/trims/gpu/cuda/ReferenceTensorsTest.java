package io.trims.gpu.cuda;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The reference file that carries ONNX Runtime's outputs to the GPU machine round-trips every carried type. */
class ReferenceTensorsTest {

    @Test
    void roundTrip(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ref.bin");
        List<Tensor> inputs = List.of(
                new Tensor("input_ids", DataType.INT64, new long[] {1, 3}, new long[] {101, 7592, 102}),
                new Tensor("mask", DataType.BOOL, new long[] {3}, new boolean[] {true, false, true}),
                new Tensor("pos", DataType.INT32, new long[] {2}, new int[] {-1, 5}));
        List<Tensor> outputs = List.of(new Tensor("y", DataType.FP32, new long[] {1, 3, 2},
                new float[] {0.5f, -1f, 3.25f, 0f, Float.MIN_VALUE, 1e30f}));
        ReferenceTensors.write(file, new ReferenceTensors.Reference(inputs, outputs));
        ReferenceTensors.Reference back = ReferenceTensors.read(file);
        assertEquals(3, back.inputs().size());
        assertEquals("input_ids", back.inputs().get(0).name());
        assertArrayEquals(new long[] {101, 7592, 102}, (long[]) back.inputs().get(0).data());
        assertArrayEquals(new boolean[] {true, false, true}, (boolean[]) back.inputs().get(1).data());
        assertArrayEquals(new int[] {-1, 5}, (int[]) back.inputs().get(2).data());
        assertArrayEquals(new long[] {1, 3, 2}, back.outputs().get(0).shape());
        assertArrayEquals((float[]) outputs.get(0).data(), (float[]) back.outputs().get(0).data());
    }

    @Test
    void anotherFileIsRejected(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("x.bin"), new byte[] {0, 3, 'a', 'b', 'c'});
        assertThrows(IOException.class, () -> ReferenceTensors.read(file));
    }
}
