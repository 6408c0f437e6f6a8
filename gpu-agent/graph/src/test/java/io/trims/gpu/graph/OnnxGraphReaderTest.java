package io.trims.gpu.graph;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.trims.testmodels.OnnxGraphBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxGraphReaderTest {

    private static final Tensor F32 = OnnxGraphBuilder.floats("f32", new float[]{1.5f, -2.25f, 3e-8f, Float.MAX_VALUE}, 2, 2);
    private static final Tensor I64 = OnnxGraphBuilder.longs("i64", new long[]{Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, 4);
    private static final Tensor I32 = new Tensor("i32", DataType.INT32, new long[]{3}, new int[]{-7, 0, Integer.MAX_VALUE});
    private static final Tensor BOOL = new Tensor("bool", DataType.BOOL, new long[]{1, 3}, new boolean[]{true, false, true});
    private static final Tensor F64 = new Tensor("f64", DataType.FP64, new long[]{2}, new double[]{Math.PI, -1e300});
    private static final Tensor SCALAR = OnnxGraphBuilder.longs("scalar", new long[]{42});

    @Test
    void initializersDecodeFromRawDataAndTypedFields() throws Exception {
        for (boolean raw : new boolean[]{true, false}) {
            OnnxGraphBuilder b = new OnnxGraphBuilder(13).input("X", DataType.FP32, 2, 2).output("X", DataType.FP32, 2, 2);
            for (Tensor t : List.of(F32, I64, I32, BOOL, F64, SCALAR)) {
                if (raw) {
                    b.initializer(t);
                } else {
                    b.typedInitializer(t);
                }
            }
            Graph graph = OnnxGraphReader.read(b.bytes());
            for (Tensor t : List.of(F32, I64, I32, BOOL, F64, SCALAR)) {
                assertEquals(t, graph.initializers().get(t.name()), (raw ? "raw " : "typed ") + t.name());
            }
            assertArrayEquals(new long[0], graph.initializers().get("scalar").shape());
        }
    }

    @Test
    void nodesAttributesAndSymbolicDims() throws Exception {
        byte[] model = new OnnxGraphBuilder(14)
                .input("ids", DataType.INT64, "batch", "sequence")
                .input("W", DataType.FP32, 4, 3)
                .initializer(OnnxGraphBuilder.floats("W", new float[12], 4, 3))
                .output("Y", DataType.FP32, "batch", "sequence", 3)
                .namedNode("Gather", "/emb/Gather", new String[]{"W", "ids"}, new String[]{"E"}, "axis", 0)
                .namedNode("Softmax", "", new String[]{"E"}, new String[]{"S"}, "axis", -1L)
                .namedNode("Transpose", "/t", new String[]{"S"}, new String[]{"T"}, "perm", new long[]{1, 0, 2})
                .namedNode("LayerNormalization", "/ln", new String[]{"T", "W", ""}, new String[]{"Y"}, "epsilon", 1e-12f,
                        "note", "text", "scales", new float[]{0.5f, 2f})
                .bytes();
        Graph graph = OnnxGraphReader.read(model);
        assertEquals(14, graph.opset());
        assertEquals(1, graph.inputs().size(), "an initializer listed as an input is not a graph input");
        ValueInfo ids = graph.inputs().get(0);
        assertEquals(DataType.INT64, ids.type());
        assertEquals(List.of(Dim.symbolic("batch"), Dim.symbolic("sequence")), ids.dims());
        assertArrayEquals(new long[]{-1, -1, 3}, graph.outputs().get(0).shape());
        assertEquals(4, graph.nodes().size());
        Node softmax = graph.nodes().get(1);
        assertEquals("Softmax_S", softmax.name(), "an unnamed node is named after its op and output");
        assertEquals(-1, softmax.intAttr("axis", 0));
        assertArrayEquals(new long[]{1, 0, 2}, graph.nodes().get(2).intsAttr("perm").orElseThrow());
        Node ln = graph.nodes().get(3);
        assertEquals(1e-12f, ln.floatAttr("epsilon", 0));
        assertEquals("text", ln.stringAttr("note", ""));
        assertArrayEquals(new float[]{0.5f, 2f}, ln.attribute("scales").orElseThrow().asFloats());
        assertTrue(ln.input(1).isPresent());
        assertFalse(ln.input(2).isPresent(), "an empty input name is an omitted optional input");
        assertEquals(List.of("W", "ids"), graph.nodes().get(0).inputs());
    }

    @Test
    void constantNodesBecomeInitializers(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        byte[] model = new OnnxGraphBuilder(13)
                .input("X", DataType.FP32, "n")
                .output("Y", DataType.FP32, "n")
                .namedNode("Constant", "/c", new String[0], new String[]{"two"}, "value", OnnxGraphBuilder.floats("ignored", new float[]{2f}))
                .node("Mul", "Y", new String[]{"X", "two"})
                .bytes();
        Path file = dir.resolve("m.onnx");
        Files.write(file, model);
        Graph graph = OnnxGraphReader.read(file);
        assertEquals(1, graph.nodes().size());
        assertEquals("Mul", graph.nodes().get(0).opType());
        Tensor two = graph.initializers().get("two");
        assertEquals("two", two.name());
        assertArrayEquals(new float[]{2f}, (float[]) two.data());
        assertEquals(4, graph.initializerBytes());
    }

    @Test
    void rawDataOfTheWrongLengthIsRejected() {
        var proto = ai.onnx.proto.OnnxMl.TensorProto.newBuilder().setName("w").setDataType(1).addDims(3)
                .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[8])).build();
        GraphException e = assertThrows(GraphException.class, () -> TensorDecoder.decode(proto, "w"));
        assertTrue(e.getMessage().contains("8 raw bytes for 3 FP32"), e.getMessage());
    }
}
