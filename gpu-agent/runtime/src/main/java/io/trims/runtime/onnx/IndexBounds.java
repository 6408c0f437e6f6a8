package io.trims.runtime.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.trims.protocol.tensor.Tensor;
import io.trims.runtime.InferenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inputs of a model that index a table directly (the token ids of a text model: the indices of a Gather whose
 * data is an initializer, the embedding table), with the table's size. ONNX Runtime reads a negative index as
 * counting from the end, so a negative token id would run silently on the wrong row; this check refuses it, and an
 * id past the table, before the run. Found by a streaming scan of the file that skips the weights' bytes.
 */
final class IndexBounds {

    private static final Logger LOG = LoggerFactory.getLogger(IndexBounds.class);
    private static final int GRAPH = 7;
    private static final int NODE = 1;
    private static final int INITIALIZER = 5;
    private static final int INPUT = 11;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_NAME = 8;

    static final IndexBounds NONE = new IndexBounds(Map.of());

    /** Rows of the table each index input selects from. */
    private final Map<String, Long> rows;

    IndexBounds(Map<String, Long> rows) {
        this.rows = Map.copyOf(rows);
    }

    Map<String, Long> rows() {
        return rows;
    }

    /** The bounds of the model in {@code file}; none when the file cannot be scanned (the load reports that). */
    static IndexBounds scan(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream model = CodedInputStream.newInstance(in);
            model.setSizeLimit(Integer.MAX_VALUE);
            while (!model.isAtEnd()) {
                int tag = model.readTag();
                if (WireFormat.getTagFieldNumber(tag) == GRAPH && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    int limit = model.pushLimit(model.readRawVarint32());
                    IndexBounds bounds = graph(model);
                    model.popLimit(limit);
                    return bounds;
                }
                model.skipField(tag);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("no index bounds for {}: {}", file.getFileName(), e.toString());
        }
        return NONE;
    }

    private static IndexBounds graph(CodedInputStream graph) throws IOException {
        List<NodeProto> nodes = new ArrayList<>();
        Map<String, List<Long>> tables = new HashMap<>();
        Set<String> inputs = new HashSet<>();
        while (!graph.isAtEnd()) {
            int tag = graph.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case NODE -> nodes.add(NodeProto.parseFrom(graph.readBytes()));
                case INPUT -> inputs.add(ValueInfoProto.parseFrom(graph.readBytes()).getName());
                case INITIALIZER -> {
                    int limit = graph.pushLimit(graph.readRawVarint32());
                    initializer(graph, tables);
                    graph.popLimit(limit);
                }
                default -> graph.skipField(tag);
            }
        }
        Map<String, Long> rows = new HashMap<>();
        for (NodeProto node : nodes) {
            if (!node.getOpType().equals("Gather") || node.getInputCount() < 2) {
                continue;
            }
            List<Long> dims = tables.get(node.getInput(0));
            String indices = node.getInput(1);
            if (dims == null || dims.isEmpty() || !inputs.contains(indices) || tables.containsKey(indices)) {
                continue;
            }
            long axis = node.getAttributeList().stream().filter(a -> a.getName().equals("axis"))
                    .mapToLong(AttributeProto::getI).findFirst().orElse(0);
            int at = (int) (axis < 0 ? axis + dims.size() : axis);
            if (at >= 0 && at < dims.size()) {
                rows.merge(indices, dims.get(at), Math::min);
            }
        }
        return new IndexBounds(rows);
    }

    /** Reads an initializer's name and dims, skipping its data. */
    private static void initializer(CodedInputStream tensor, Map<String, List<Long>> tables) throws IOException {
        List<Long> dims = new ArrayList<>();
        String name = null;
        while (!tensor.isAtEnd()) {
            int tag = tensor.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == TENSOR_DIMS && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                dims.add(tensor.readInt64());
            } else if (field == TENSOR_DIMS && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = tensor.pushLimit(tensor.readRawVarint32());
                while (!tensor.isAtEnd()) {
                    dims.add(tensor.readInt64());
                }
                tensor.popLimit(limit);
            } else if (field == TENSOR_NAME) {
                name = tensor.readString();
            } else {
                tensor.skipField(tag);
            }
        }
        if (name != null) {
            tables.put(name, dims);
        }
    }

    /** A 400 naming the first index of a given input that lies outside its table. */
    void check(Map<String, Tensor> given) throws InferenceException {
        for (Map.Entry<String, Long> bound : rows.entrySet()) {
            Tensor t = given.get(bound.getKey());
            if (t == null) {
                continue;
            }
            long size = bound.getValue();
            int count = t.data() instanceof long[] l ? l.length : t.data() instanceof int[] n ? n.length : 0;
            for (int i = 0; i < count; i++) {
                long value = t.data() instanceof long[] l ? l[i] : ((int[]) t.data())[i];
                if (value < 0 || value >= size) {
                    throw new InferenceException("input '" + t.name() + "': element " + i + " is " + value
                            + ", outside the table of " + size + " rows it indexes (token ids must lie in [0, "
                            + size + "))", true, null);
                }
            }
        }
    }
}
