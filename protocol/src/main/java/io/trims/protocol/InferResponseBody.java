package io.trims.protocol;

import io.trims.protocol.tensor.Tensor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The one encoder and decoder of v2 inference response bodies. The agent answers with {@link #encode}: the
 * outputs the request asked for as binary data follow the JSON header (binary tensor data extension), the others
 * are JSON {@code data}; a response with no binary output is plain JSON, as it always was. A front end that
 * forwarded a request reads the agent's answer back with {@link #decode}, or with {@link InferBody#split} and
 * {@link InferBody.Framed#parts} to keep the outputs' raw bytes.
 */
public final class InferResponseBody {

    private InferResponseBody() {
    }

    /** The response to {@code request}; {@code id} is left out when null. */
    public static InferBody.Encoded encode(String modelName, String modelVersion, String id, List<Tensor> outputs,
                                           InferRequest request) {
        List<Tensor> binary = new ArrayList<>();
        JsonObject header = header(modelName, modelVersion, id, outputs, t -> {
            boolean asBinary = request.binary(t.name());
            if (asBinary) {
                binary.add(t);
            }
            return asBinary;
        });
        return binary.isEmpty() ? InferBody.json(header) : InferBody.frameTensors(header, binary);
    }

    /**
     * The JSON part of a response: {@code {model_name, model_version, id?, outputs}}, each output with its
     * {@code binary_data_size} where {@code binary} says so, with its {@code data} otherwise.
     */
    static JsonObject header(String modelName, String modelVersion, String id, List<Tensor> outputs,
                             Predicate<Tensor> binary) {
        JsonObject response = new JsonObject().put("model_name", modelName).put("model_version", modelVersion);
        if (id != null) {
            response.put("id", id);
        }
        JsonArray array = new JsonArray();
        for (Tensor t : outputs) {
            array.add(binary.test(t) ? TensorEntry.binary(t) : TensorEntry.json(t));
        }
        return response.put("outputs", array);
    }

    /**
     * Decodes a response body.
     *
     * @param headerLength the response's {@value InferBody#HEADER_LENGTH} header; null when it has none (all JSON)
     */
    public static InferResponse decode(Buffer body, String headerLength) {
        InferBody.Framed framed = InferBody.split(body, headerLength);
        JsonObject json = framed.header();
        if (!(json.getValue("outputs") instanceof JsonArray outputs)) {
            throw V2Exception.badRequest(json.containsKey("outputs") ? "outputs must be an array" : "outputs is missing");
        }
        List<Buffer> binary = framed.parts(outputs, "output");
        List<Tensor> tensors = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            if (!(outputs.getValue(i) instanceof JsonObject output)) {
                throw V2Exception.badRequest("outputs[" + i + "] must be an object");
            }
            tensors.add(TensorEntry.parse(output, "output", i, binary.get(i)));
        }
        return new InferResponse(string(json, "model_name"), string(json, "model_version"), string(json, "id"), tensors);
    }

    private static String string(JsonObject json, String key) {
        Object value = json.getValue(key);
        if (value != null && !(value instanceof String)) {
            throw V2Exception.badRequest(key + " must be a string");
        }
        return (String) value;
    }
}
