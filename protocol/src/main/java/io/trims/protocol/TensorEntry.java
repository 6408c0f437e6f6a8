package io.trims.protocol;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One tensor entry of a v2 body ({@code {name, datatype, shape, data | parameters.binary_data_size}}), a request's
 * input or a response's output, read into a {@link Tensor} and written from one.
 */
final class TensorEntry {

    private TensorEntry() {
    }

    /**
     * The tensor an entry holds: its JSON {@code data}, or {@code binary}, its slice of the body's binary data.
     *
     * @param kind   {@code "input"} or {@code "output"}, as messages name it
     * @param binary null when the entry has no {@code binary_data_size}
     */
    static Tensor parse(JsonObject entry, String kind, int index, Buffer binary) {
        if (!(entry.getValue("name") instanceof String name) || name.isEmpty()) {
            throw V2Exception.badRequest(kind + "s[" + index + "] needs a name");
        }
        String where = kind + " '" + name + "'";
        long[] shape = parseShape(entry.getValue("shape"), where);
        if (!(entry.getValue("datatype") instanceof String datatype)) {
            throw V2Exception.badRequest(where + ": datatype is missing");
        }
        DataType type = DataType.fromV2(datatype)
                .orElseThrow(() -> V2Exception.badRequest(where + ": unsupported datatype '" + datatype + "'"));
        long needed;
        try {
            needed = Tensor.elementCount(shape);
        } catch (ArithmeticException e) {
            needed = Long.MAX_VALUE;
        }
        if (needed > Integer.MAX_VALUE - 8) {
            throw V2Exception.badRequest(where + ": shape " + V2Codec.shapeText(shape) + " is too large");
        }
        if (binary != null) {
            if (entry.containsKey("data")) {
                throw V2Exception.badRequest(where + " has both data and parameters." + InferBody.BINARY_DATA_SIZE
                        + "; give one");
            }
            return BinaryTensors.read(name, type, shape, binary, where);
        }
        if (!entry.containsKey("data")) {
            throw V2Exception.badRequest(where + ": data is missing");
        }
        List<Object> values = new ArrayList<>();
        TensorJson.flatten(entry.getValue("data"), values);
        if (needed != values.size()) {
            throw V2Exception.badRequest(where + ": shape " + V2Codec.shapeText(shape) + " needs " + needed
                    + " values, got " + values.size());
        }
        return new Tensor(name, type, shape, TensorJson.toArray(where, type, values));
    }

    /** {@code {name, datatype, shape}}, to which the caller adds data or parameters. */
    static JsonObject describe(Tensor t) {
        return new JsonObject().put("name", t.name()).put("datatype", t.type().name()).put("shape", shape(t.shape()));
    }

    /** The entry of a tensor carried as binary data: its description with {@code parameters.binary_data_size}. */
    static JsonObject binary(Tensor t) {
        return describe(t).put("parameters", new JsonObject().put(InferBody.BINARY_DATA_SIZE, BinaryTensors.byteSize(t)));
    }

    /** The entry of a tensor carried as JSON: its description with {@code data}. */
    static JsonObject json(Tensor t) {
        return describe(t).put("data", TensorJson.toJson(t));
    }

    static JsonArray shape(long[] shape) {
        JsonArray array = new JsonArray();
        for (long d : shape) {
            array.add(d);
        }
        return array;
    }

    /** A {@code parameters} object, empty when absent; a 400 naming {@code where} when it is not an object. */
    static JsonObject parameters(JsonObject owner, String where) {
        Object parameters = owner.getValue("parameters");
        if (parameters == null) {
            return new JsonObject();
        }
        if (!(parameters instanceof JsonObject map)) {
            throw V2Exception.badRequest(where + ": parameters must be an object");
        }
        return map;
    }

    /** A boolean parameter; null when absent. */
    static Boolean flag(JsonObject parameters, String key, String where) {
        Object value = parameters.getValue(key);
        if (value != null && !(value instanceof Boolean)) {
            throw V2Exception.badRequest(where + ": parameters." + key + " must be true or false, got " + value);
        }
        return (Boolean) value;
    }

    private static long[] parseShape(Object value, String where) {
        if (!(value instanceof JsonArray array)) {
            throw V2Exception.badRequest(where + ": " + (value == null ? "shape is missing" : "shape must be an array"));
        }
        long[] shape = new long[array.size()];
        for (int i = 0; i < shape.length; i++) {
            Object dim = array.getValue(i);
            if (!(dim instanceof Integer || dim instanceof Long) || ((Number) dim).longValue() < 0) {
                throw V2Exception.badRequest(where + ": shape must be an array of non-negative integers, got "
                        + array.encode());
            }
            shape[i] = ((Number) dim).longValue();
        }
        return shape;
    }
}
