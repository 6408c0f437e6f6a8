package io.trims.registry;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.trims.directory.TensorSpec;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A model's inputs and outputs as ONNX Runtime reports them: graph order, initializers listed among the inputs left
 * out, v2 datatype names, -1 for every dimension without a fixed size.
 */
final class OnnxSignatures {

    record Signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
    }

    private OnnxSignatures() {
    }

    /** The signature of {@code model}; a {@link NotAModelException} if it has no inputs or outputs, or one is not a tensor. */
    static Signature of(ModelProto model) {
        GraphProto graph = model.getGraph();
        Set<String> initializers = new HashSet<>();
        graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
        // Older exporters list initializers as inputs too; they have values already, so nothing feeds them.
        List<TensorSpec> inputs = graph.getInputList().stream().filter(v -> !initializers.contains(v.getName()))
                .map(v -> spec(v, "input")).toList();
        List<TensorSpec> outputs = graph.getOutputList().stream().map(v -> spec(v, "output")).toList();
        if (inputs.isEmpty()) {
            throw new NotAModelException("the graph has no inputs (initializers are not inputs)");
        }
        if (outputs.isEmpty()) {
            throw new NotAModelException("the graph has no outputs");
        }
        return new Signature(inputs, outputs);
    }

    private static TensorSpec spec(ValueInfoProto value, String kind) {
        TypeProto type = value.getType();
        if (type.getValueCase() != TypeProto.ValueCase.TENSOR_TYPE) {
            throw new NotAModelException(kind + " '" + value.getName() + "' is not a tensor (it is "
                    + type.getValueCase().name().toLowerCase().replace('_', ' ') + ")");
        }
        TypeProto.Tensor tensor = type.getTensorType();
        long[] shape = tensor.getShape().getDimList().stream()
                .mapToLong(d -> d.getValueCase() == TensorShapeProto.Dimension.ValueCase.DIM_VALUE ? d.getDimValue() : -1)
                .toArray();
        return new TensorSpec(value.getName(), v2Name(tensor.getElemType(), kind, value.getName()), shape);
    }

    /** The v2 protocol's name of an ONNX element type, with the names the registry gave when ONNX Runtime read uploads. */
    private static String v2Name(int code, String kind, String name) {
        TensorProto.DataType type = TensorProto.DataType.forNumber(code);
        if (type == null) {
            throw noV2Datatype(code, kind, name);
        }
        return switch (type) {
            case FLOAT -> "FP32";
            case DOUBLE -> "FP64";
            case FLOAT16 -> "FP16";
            case BFLOAT16 -> "BF16";
            case STRING -> "BYTES";
            case UNDEFINED, UINT4, INT4 -> throw noV2Datatype(code, kind, name);
            default -> type.name();
        };
    }

    private static NotAModelException noV2Datatype(int code, String kind, String name) {
        return new NotAModelException(kind + " '" + name + "' has element type " + code + ", which has no v2 datatype");
    }
}
