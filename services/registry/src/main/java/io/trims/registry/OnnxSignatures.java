package io.trims.registry;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.trims.protocol.V2Exception;
import io.trims.directory.TensorSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a model's inputs and outputs by opening it with ONNX Runtime: a file it cannot open is not a model. Blocking. */
final class OnnxSignatures {

    record Signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
    }

    private OnnxSignatures() {
    }

    /** The signature of the ONNX model in {@code file}; a 422 if ONNX Runtime cannot load it. */
    static Signature read(Path file) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // Only the graph's signature is wanted: skip optimisation and keep one thread.
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(file.toString(), options)) {
                return new Signature(specs(session.getInputInfo(), "input"), specs(session.getOutputInfo(), "output"));
            }
        } catch (OrtException e) {
            throw new V2Exception(422, "not a valid ONNX model: " + firstLine(e.getMessage()), e);
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes, String kind) {
        List<TensorSpec> specs = new ArrayList<>(nodes.size());
        for (NodeInfo node : nodes.values()) {
            if (!(node.getInfo() instanceof TensorInfo tensor)) {
                throw new V2Exception(422, "not a servable ONNX model: " + kind + " '" + node.getName()
                        + "' is not a tensor (" + node.getInfo() + ")");
            }
            specs.add(new TensorSpec(node.getName(), v2Name(tensor.onnxType), tensor.getShape()));
        }
        return specs;
    }

    /** The v2 protocol's name of an ONNX element type. */
    static String v2Name(TensorInfo.OnnxTensorType type) {
        return switch (type) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> "BOOL";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> "INT8";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> "UINT8";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> "INT16";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> "UINT16";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> "INT32";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> "UINT32";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> "INT64";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> "UINT64";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> "FP16";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> "BF16";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> "FP32";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> "FP64";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> "BYTES";
            default -> type.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "");
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "ONNX Runtime could not load it";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
