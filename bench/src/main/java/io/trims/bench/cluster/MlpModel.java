package io.trims.bench.cluster;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A large multilayer perceptron as an ONNX model: {@code layers} hidden blocks of MatMul [width, width], Add and
 * Relu, then a MatMul/Add head down to {@code outputs}; input {@code x} FP32 [N, width], output {@code y} FP32
 * [N, outputs], weights FP32 drawn from {@code seed}. Its size is almost all weights: layers × width² × 4 bytes.
 *
 * <p>The graph, nodes and tensor headers are ONNX protobuf messages; the weights are streamed into the file after
 * their headers, so a model of 2 GB is written without holding it in memory (a protobuf message can be at most
 * 2 GiB, and building one that big would need it several times over). Protobuf fields may come in any order, so
 * the file parses as the same ModelProto that one built in memory would be.
 */
public record MlpModel(int width, int layers, int outputs, long seed) {

    public static final String INPUT = "x";
    static final String OUTPUT = "y";
    private static final int OPSET = 13;
    private static final int CHUNK_FLOATS = 1 << 18;
    /** The largest message protobuf can parse. */
    private static final long PROTOBUF_LIMIT = Integer.MAX_VALUE;

    public MlpModel {
        if (width < 1 || layers < 0 || outputs < 1) {
            throw new IllegalArgumentException("width and outputs must be positive, layers not negative");
        }
    }

    /** The bytes the weights take: close to the file's size. */
    public long weightBytes() {
        return 4L * ((long) layers * width * width + (long) layers * width + (long) width * outputs + outputs);
    }

    /** Writes the model to {@code file}; returns its size in bytes. */
    public long write(Path file) throws IOException {
        List<TensorProto> headers = new ArrayList<>();
        GraphProto.Builder graph = GraphProto.newBuilder().setName("mlp")
                .addInput(valueInfo(INPUT, width))
                .addOutput(valueInfo(OUTPUT, outputs));
        String h = INPUT;
        for (int i = 0; i <= layers; i++) {
            boolean head = i == layers;
            int out = head ? outputs : width;
            String w = "w" + i;
            String b = "b" + i;
            headers.add(header(w, width, out));
            headers.add(header(b, out));
            String product = "xw" + i;
            String sum = head ? OUTPUT : "h" + i + "_pre";
            graph.addNode(node("MatMul", "matmul" + i, product, h, w));
            graph.addNode(node("Add", "add" + i, sum, product, b));
            if (!head) {
                h = "h" + i;
                graph.addNode(node("Relu", "relu" + i, h, sum));
            }
        }
        GraphProto skeleton = graph.build();
        long graphSize = skeleton.getSerializedSize();
        for (TensorProto t : headers) {
            graphSize += framed(tensorSize(t));
        }
        ModelProto model = ModelProto.newBuilder().setIrVersion(8).setProducerName("trims-bench")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).build();
        if (model.getSerializedSize() + framed(graphSize) > PROTOBUF_LIMIT) {
            throw new IllegalArgumentException("an ONNX model must stay under 2 GiB; this one would take " + graphSize);
        }
        try (OutputStream stream = Files.newOutputStream(file)) {
            CodedOutputStream out = CodedOutputStream.newInstance(stream, 1 << 20);
            model.writeTo(out);
            out.writeTag(ModelProto.GRAPH_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt64NoTag(graphSize);
            skeleton.writeTo(out);
            for (TensorProto t : headers) {
                out.writeTag(GraphProto.INITIALIZER_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt64NoTag(tensorSize(t));
                t.writeTo(out);
                out.writeTag(TensorProto.RAW_DATA_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt64NoTag(4 * elements(t));
                writeWeights(out, t);
            }
            out.flush();
        }
        return Files.size(file);
    }

    /** Uniform in ±sqrt(3 / fan-in): unit variance in, so activations neither vanish nor blow up over 30 layers. */
    private void writeWeights(CodedOutputStream out, TensorProto t) throws IOException {
        SplittableRandom random = new SplittableRandom(seed * 31 + t.getName().hashCode());
        double half = t.getDimsCount() == 2 ? Math.sqrt(3.0 / t.getDims(0)) : 0.01;
        ByteBuffer chunk = ByteBuffer.allocate(4 * CHUNK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
        for (long left = elements(t); left > 0; ) {
            int n = (int) Math.min(left, CHUNK_FLOATS);
            chunk.clear();
            for (int k = 0; k < n; k++) {
                chunk.putFloat((float) (half * (2 * random.nextDouble() - 1)));
            }
            out.writeRawBytes(chunk.array(), 0, 4 * n);
            left -= n;
        }
    }

    /** A tensor's serialized size once its raw data (field 9) follows the header. */
    private static long tensorSize(TensorProto header) {
        return header.getSerializedSize() + framed(4 * elements(header));
    }

    /** Tag, length and payload of a length-delimited field of {@code payload} bytes. */
    private static long framed(long payload) {
        return CodedOutputStream.computeTagSize(1) + CodedOutputStream.computeUInt64SizeNoTag(payload) + payload;
    }

    private static long elements(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        return n;
    }

    private static TensorProto header(String name, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static NodeProto node(String op, String name, String output, String... inputs) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
        for (String in : inputs) {
            node.addInput(in);
        }
        return node.build();
    }

    private static ValueInfoProto valueInfo(String name, int columns) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(columns)).build();
        TypeProto.Tensor type = TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(type)).build();
    }
}
