package io.trims.protocol;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.trims.directory.ModelRecord;
import io.trims.directory.TensorSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The KServe v2 (Open Inference Protocol) REST body format: parses and checks inference requests, writes
 * responses and model metadata. Every problem with a request is a {@link V2Exception} that says what is wrong.
 */
public final class V2Codec {

    /** The v2 {@code platform} of every model trims serves. */
    public static final String PLATFORM = "onnxruntime_onnx";

    private V2Codec() {
    }

    /** Parses an inference request body; element kinds and counts are checked, not the model's signature. */
    public static InferRequest parseRequest(Buffer body) {
        JsonObject json = parseObject(body);
        Object id = json.getValue("id");
        if (id != null && !(id instanceof String)) {
            throw V2Exception.badRequest("id must be a string");
        }
        if (!(json.getValue("inputs") instanceof JsonArray inputs)) {
            throw V2Exception.badRequest(json.containsKey("inputs") ? "inputs must be an array" : "inputs is missing");
        }
        List<Tensor> tensors = new ArrayList<>(inputs.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (!(inputs.getValue(i) instanceof JsonObject input)) {
                throw V2Exception.badRequest("inputs[" + i + "] must be an object");
            }
            Tensor tensor = parseInput(input, i);
            if (!names.add(tensor.name())) {
                throw V2Exception.badRequest("input '" + tensor.name() + "' is given twice");
            }
            tensors.add(tensor);
        }
        return new InferRequest((String) id, tensors, parseRequestedOutputs(json.getValue("outputs")));
    }

    /** Checks a parsed request against the model's signature: names, datatypes, ranks, fixed dimensions, outputs. */
    public static void validateAgainst(InferRequest request, ModelRecord model) {
        Map<String, Tensor> given = new HashMap<>();
        request.inputs().forEach(t -> given.put(t.name(), t));
        Set<String> expected = new HashSet<>();
        for (TensorSpec spec : model.inputs()) {
            expected.add(spec.name());
            Tensor tensor = given.get(spec.name());
            if (tensor == null) {
                throw V2Exception.badRequest("missing input '" + spec.name() + "'");
            }
            checkSignature(tensor, spec);
        }
        for (Tensor tensor : request.inputs()) {
            if (!expected.contains(tensor.name())) {
                throw V2Exception.badRequest("unknown input '" + tensor.name() + "'; model '" + model.name() + "' takes "
                        + names(model.inputs()));
            }
        }
        Set<String> outputs = new HashSet<>();
        model.outputs().forEach(o -> outputs.add(o.name()));
        for (String name : request.requestedOutputs()) {
            if (!outputs.contains(name)) {
                throw V2Exception.badRequest("unknown output '" + name + "'; model '" + model.name() + "' has "
                        + names(model.outputs()));
            }
        }
    }

    /** The v2 inference response; {@code id} is left out when null. */
    public static JsonObject formatResponse(String modelName, String modelVersion, String id, List<Tensor> outputs) {
        JsonObject response = new JsonObject().put("model_name", modelName).put("model_version", modelVersion);
        if (id != null) {
            response.put("id", id);
        }
        JsonArray array = new JsonArray();
        for (Tensor t : outputs) {
            array.add(new JsonObject()
                    .put("name", t.name())
                    .put("datatype", t.type().name())
                    .put("shape", shape(t.shape()))
                    .put("data", TensorJson.toJson(t)));
        }
        return response.put("outputs", array);
    }

    /**
     * The v2 model metadata of a model: its versions and the signature of {@code latest}, plus (an extension field,
     * which v2 clients ignore) {@code parameters: {gpu, gpu_unsupported_reason}} saying whether {@code latest} can
     * run in the GPU tier and, when not, why (it is then served from the CPU tier only).
     */
    public static JsonObject metadata(ModelRecord latest, List<String> versions) {
        JsonObject parameters = new JsonObject().put("gpu", latest.gpuCapable());
        if (!latest.gpuCapable()) {
            parameters.put("gpu_unsupported_reason", latest.gpuUnsupportedReason());
        }
        return new JsonObject()
                .put("name", latest.name())
                .put("versions", new JsonArray(new ArrayList<>(versions)))
                .put("platform", PLATFORM)
                .put("inputs", specs(latest.inputs()))
                .put("outputs", specs(latest.outputs()))
                .put("parameters", parameters);
    }

    /** A tensor signature as v2 metadata writes it: {@code {name, datatype, shape}}. */
    public static JsonObject spec(TensorSpec spec) {
        return new JsonObject().put("name", spec.name()).put("datatype", spec.datatype()).put("shape", shape(spec.shape()));
    }

    public static JsonArray specs(List<TensorSpec> specs) {
        JsonArray array = new JsonArray();
        specs.forEach(s -> array.add(spec(s)));
        return array;
    }

    private static JsonObject parseObject(Buffer body) {
        if (body == null || body.length() == 0) {
            throw V2Exception.badRequest("malformed JSON: empty body");
        }
        Object value;
        try {
            value = body.toJsonValue();
        } catch (DecodeException e) {
            throw V2Exception.badRequest("malformed JSON: " + firstLine(e.getMessage()));
        }
        if (!(value instanceof JsonObject json)) {
            throw V2Exception.badRequest("malformed JSON: the body must be an object");
        }
        return json;
    }

    private static Tensor parseInput(JsonObject input, int index) {
        if (!(input.getValue("name") instanceof String name) || name.isEmpty()) {
            throw V2Exception.badRequest("inputs[" + index + "] needs a name");
        }
        String where = "input '" + name + "': ";
        long[] shape = parseShape(input.getValue("shape"), where);
        if (!(input.getValue("datatype") instanceof String datatype)) {
            throw V2Exception.badRequest(where + "datatype is missing");
        }
        DataType type = DataType.fromV2(datatype)
                .orElseThrow(() -> V2Exception.badRequest(where + "unsupported datatype '" + datatype + "'"));
        if (!input.containsKey("data")) {
            throw V2Exception.badRequest(where + "data is missing");
        }
        List<Object> values = new ArrayList<>();
        TensorJson.flatten(input.getValue("data"), values);
        long needed;
        try {
            needed = Tensor.elementCount(shape);
        } catch (ArithmeticException e) {
            throw V2Exception.badRequest(where + "shape " + shapeText(shape) + " is too large");
        }
        if (needed != values.size()) {
            throw V2Exception.badRequest(where + "shape " + shapeText(shape) + " needs " + needed + " values, got "
                    + values.size());
        }
        return new Tensor(name, type, shape, TensorJson.toArray(name, type, values));
    }

    private static long[] parseShape(Object value, String where) {
        if (!(value instanceof JsonArray array)) {
            throw V2Exception.badRequest(where + (value == null ? "shape is missing" : "shape must be an array"));
        }
        long[] shape = new long[array.size()];
        for (int i = 0; i < shape.length; i++) {
            Object dim = array.getValue(i);
            if (!(dim instanceof Integer || dim instanceof Long) || ((Number) dim).longValue() < 0) {
                throw V2Exception.badRequest(where + "shape must be an array of non-negative integers, got " + array.encode());
            }
            shape[i] = ((Number) dim).longValue();
        }
        return shape;
    }

    private static List<String> parseRequestedOutputs(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw V2Exception.badRequest("outputs must be an array");
        }
        List<String> names = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            if (!(array.getValue(i) instanceof JsonObject output) || !(output.getValue("name") instanceof String name)) {
                throw V2Exception.badRequest("outputs[" + i + "] needs a name");
            }
            names.add(name);
        }
        return names;
    }

    private static void checkSignature(Tensor tensor, TensorSpec spec) {
        String where = "input '" + spec.name() + "': ";
        if (!spec.datatype().equalsIgnoreCase(tensor.type().name())) {
            throw V2Exception.badRequest(where + "model expects " + spec.datatype() + ", got " + tensor.type());
        }
        long[] want = spec.shape();
        long[] got = tensor.shape();
        if (want.length != got.length) {
            throw V2Exception.badRequest(where + "model expects shape " + shapeText(want) + " (rank " + want.length
                    + "), got " + shapeText(got));
        }
        for (int d = 0; d < want.length; d++) {
            if (want[d] >= 0 && want[d] != got[d]) {
                throw V2Exception.badRequest(where + "dimension " + d + " must be " + want[d] + " (model expects shape "
                        + shapeText(want) + "), got " + shapeText(got));
            }
        }
    }

    private static JsonArray shape(long[] shape) {
        JsonArray array = new JsonArray();
        for (long d : shape) {
            array.add(d);
        }
        return array;
    }

    static String shapeText(long[] shape) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            text.append(i == 0 ? "" : ",").append(shape[i]);
        }
        return text.append(']').toString();
    }

    private static String names(List<TensorSpec> specs) {
        return specs.stream().map(TensorSpec::name).toList().toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable body";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
