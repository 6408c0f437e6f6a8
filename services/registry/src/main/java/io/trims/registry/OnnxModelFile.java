package io.trims.registry;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads an uploaded file as an ONNX model in plain Java (no native code touches untrusted bytes) and checks what
 * every runtime needs of one: an IR version, an operator set, a graph whose every name is defined. Blocking.
 */
final class OnnxModelFile {

    /** The longest array a JVM allocates. */
    private static final long LARGEST_ARRAY = Integer.MAX_VALUE - 8;

    private OnnxModelFile() {
    }

    /** The model in {@code file}; a {@link NotAModelException} saying what is wrong if it is not one. */
    static ModelProto read(Path file) throws IOException {
        ModelProto model = parse(file);
        if (model.getIrVersion() <= 0) {
            throw new NotAModelException("the file has no IR version, so it is not an ONNX ModelProto");
        }
        if (!model.hasGraph()) {
            throw new NotAModelException("the file holds no graph");
        }
        if (model.getOpsetImportCount() == 0) {
            throw new NotAModelException("the model imports no operator set");
        }
        checkNames(model.getGraph());
        return model;
    }

    private static ModelProto parse(Path file) throws IOException {
        long size = Files.size(file);
        if (size == 0) {
            throw new NotAModelException("the file is empty");
        }
        if (size > LARGEST_ARRAY) {
            throw new NotAModelException("the file is larger than the 2 GiB a protobuf message can hold");
        }
        // One array, parsed with aliasing: the initializers are views of it, so the weights are on the heap once.
        CodedInputStream in = UnsafeByteOperations.unsafeWrap(Files.readAllBytes(file)).newCodedInput();
        in.enableAliasing(true);
        try {
            return ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new NotAModelException("the file cannot be decoded as ONNX protobuf: it is truncated or not ONNX");
        }
    }

    /** Every name a node reads and every graph output is a graph input, an initializer or a node's output. */
    private static void checkNames(GraphProto graph) {
        Set<String> defined = new HashSet<>();
        graph.getInputList().forEach(v -> defined.add(v.getName()));
        graph.getInitializerList().forEach(t -> defined.add(t.getName()));
        graph.getSparseInitializerList().forEach(s -> defined.add(s.getValues().getName()));
        graph.getNodeList().forEach(n -> defined.addAll(n.getOutputList()));
        for (NodeProto node : graph.getNodeList()) {
            for (String input : node.getInputList()) {
                // An empty name is an optional input left out.
                if (!input.isEmpty() && !defined.contains(input)) {
                    throw new NotAModelException(describe(node) + " reads '" + input
                            + "', which no graph input, initializer or node defines");
                }
            }
        }
        for (ValueInfoProto output : graph.getOutputList()) {
            if (!defined.contains(output.getName())) {
                throw new NotAModelException("graph output '" + output.getName()
                        + "' is not a graph input, an initializer or any node's output");
            }
        }
    }

    private static String describe(NodeProto node) {
        return node.getName().isEmpty() ? "a " + node.getOpType() + " node" : "node '" + node.getName() + "'";
    }
}
