package io.trims.gpu.plan;

import io.trims.gpu.graph.OnnxGraphReader;
import io.trims.protocol.tensor.DataType;
import io.trims.testmodels.OnnxGraphBuilder;
import io.trims.gpu.testing.RealModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static io.trims.testmodels.OnnxGraphBuilder.floats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpuSupportTest {

    @Test
    void anOperatorWithoutKernelIsNamedWithItsNode(@TempDir Path dir) throws Exception {
        byte[] model = new OnnxGraphBuilder(14)
                .input("X", DataType.FP32, 5, 1, 4)
                .output("Y", DataType.FP32)
                .initializer(floats("W", new float[48], 1, 12, 4))
                .initializer(floats("R", new float[36], 1, 12, 3))
                .node("Relu", "X1", new String[]{"X"})
                .namedNode("LSTM", "/x/LSTM", new String[]{"X1", "W", "R"}, new String[]{"Y"}, "hidden_size", 3)
                .bytes();
        Path file = dir.resolve("lstm.onnx");
        Files.write(file, model);
        assertEquals(Optional.of("operator LSTM (node /x/LSTM) has no GPU kernel"), GpuSupport.check(file));
        assertEquals(GpuSupport.check(file), GpuSupport.check(OnnxGraphReader.read(model)));
    }

    @Test
    void aShapeComputedOnTheDeviceIsNotSupported() throws Exception {
        byte[] model = new OnnxGraphBuilder(14)
                .input("X", DataType.FP32, 2, 3)
                .input("S", DataType.FP32, 2)
                .output("Y", DataType.FP32)
                .node("Cast", "Si", new String[]{"S"}, "to", 7)
                .namedNode("Reshape", "/r/Reshape", new String[]{"X", "Si"}, new String[]{"Y"})
                .bytes();
        String reason = GpuSupport.check(OnnxGraphReader.read(model)).orElseThrow();
        assertTrue(reason.contains("operator Reshape (node /r/Reshape): input 1 ('Si') is computed on the device"), reason);
    }

    @Test
    void anUncoveredElementTypeIsNamed() throws Exception {
        byte[] model = new OnnxGraphBuilder(14)
                .input("X", DataType.INT32, 4)
                .output("Y", DataType.INT32)
                .namedNode("Add", "/a/Add", new String[]{"X", "X"}, new String[]{"Y"})
                .bytes();
        assertEquals(Optional.of("operator Add (node /a/Add) on INT32 has no GPU kernel"),
                GpuSupport.check(OnnxGraphReader.read(model)));
    }

    @Test
    void kernelLimitsThatNeedShapesAreFoundByAProbeBind() throws Exception {
        byte[] middle = new OnnxGraphBuilder(13)
                .input("X", DataType.FP32, "batch", "seq", 4)
                .output("Y", DataType.FP32)
                .namedNode("ReduceMean", "/m/ReduceMean", new String[]{"X"}, new String[]{"Y"}, "axes", new long[]{1})
                .bytes();
        assertEquals(Optional.of("operator ReduceMean (node /m/ReduceMean): only trailing axes can be reduced on the GPU, not [1]"),
                GpuSupport.check(OnnxGraphReader.read(middle)));
        byte[] rank7 = new OnnxGraphBuilder(13)
                .input("X", DataType.FP32, 1, 1, 1, 1, 1, 1, "n")
                .output("Y", DataType.FP32)
                .namedNode("Relu", "/r/Relu", new String[]{"X"}, new String[]{"Y"})
                .bytes();
        assertEquals(Optional.of("operator Relu (node /r/Relu): rank 7 is over the GPU kernels' 6"),
                GpuSupport.check(OnnxGraphReader.read(rank7)));
    }

    @Test
    void aFileThatIsNoModelSaysSo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("junk.onnx");
        Files.write(file, new byte[]{(byte) 0xff, 0x01, 0x02});
        assertTrue(GpuSupport.check(file).orElseThrow().startsWith("the model cannot be read"));
    }

    @Test
    void theRealEncodersAreSupported(@TempDir Path dir) throws Exception {
        for (String resource : new String[]{RealModels.MINILM, RealModels.BGE_SMALL}) {
            Path file = dir.resolve(resource);
            Files.write(file, RealModels.bytes(resource));
            assertEquals(Optional.empty(), GpuSupport.check(file), resource);
        }
    }
}
