package io.trims.protocol;

import io.trims.protocol.tensor.Tensor;
import io.trims.directory.ModelRecord;
import io.trims.directory.TensorSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The KServe v2 (Open Inference Protocol) REST format: checks inference requests against a model's signature,
 * writes model metadata, and keeps the all-JSON shortcuts to the body codecs ({@link InferRequestBody},
 * {@link InferResponseBody}, which also speak the binary tensor data extension). Every problem with a request is
 * a {@link V2Exception} that says what is wrong.
 */
public final class V2Codec {

    /** The v2 {@code platform} of every model trims serves. */
    public static final String PLATFORM = "onnxruntime_onnx";

    private V2Codec() {
    }

    /** Parses an inference request body that is all JSON; see {@link InferRequestBody#decode} for binary ones. */
    public static InferRequest parseRequest(Buffer body) {
        return InferRequestBody.decode(body, null);
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

    /** The v2 inference response, all JSON; {@code id} is left out when null. See {@link InferResponseBody#encode}. */
    public static JsonObject formatResponse(String modelName, String modelVersion, String id, List<Tensor> outputs) {
        return InferResponseBody.header(modelName, modelVersion, id, outputs, t -> false);
    }

    /**
     * The v2 model metadata of a model: its versions and the signature of {@code latest}, plus (an extension field,
     * which v2 clients ignore) {@code parameters: {gpu, gpu_unsupported_reason}} saying whether {@code latest} can
     * run in the GPU tier and, when not, why (it is then served from the CPU tier only), and the task it serves for
     * model-less requests, when it declares one ({@code task, accuracy, tags, cost}).
     */
    public static JsonObject metadata(ModelRecord latest, List<String> versions) {
        JsonObject parameters = new JsonObject().put("gpu", latest.gpuCapable());
        if (!latest.gpuCapable()) {
            parameters.put("gpu_unsupported_reason", latest.gpuUnsupportedReason());
        }
        if (latest.task().declared()) {
            parameters.put("task", latest.task().task()).put("accuracy", latest.task().accuracy())
                    .put("tags", new JsonArray(latest.task().tags())).put("cost", latest.task().cost());
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
        return new JsonObject().put("name", spec.name()).put("datatype", spec.datatype()).put("shape", TensorEntry.shape(spec.shape()));
    }

    public static JsonArray specs(List<TensorSpec> specs) {
        JsonArray array = new JsonArray();
        specs.forEach(s -> array.add(spec(s)));
        return array;
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
            if (got[d] == 0 && want[d] != 0) {
                throw V2Exception.badRequest(where + "dimension " + d + " is 0 in shape " + shapeText(got)
                        + ": an empty tensor is not a meaningful inference request");
            }
            if (want[d] >= 0 && want[d] != got[d]) {
                throw V2Exception.badRequest(where + "dimension " + d + " must be " + want[d] + " (model expects shape "
                        + shapeText(want) + "), got " + shapeText(got));
            }
        }
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
}
