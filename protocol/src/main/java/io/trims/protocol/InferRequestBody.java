package io.trims.protocol;

import io.trims.protocol.tensor.Tensor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one decoder and encoder of v2 inference request bodies, JSON or framed by the binary tensor data extension
 * ({@link InferBody}). The agent decodes every request it runs with {@link #decode}; a front end that speaks
 * another protocol (gRPC) builds the body it forwards with {@link #encode}, or with {@link InferBody#frame} when it
 * has the inputs' raw bytes already.
 */
public final class InferRequestBody {

    /** The request parameter asking for every output as binary data unless the output says otherwise. */
    public static final String BINARY_DATA_OUTPUT = "binary_data_output";
    /** The output parameter asking for that output as binary data (true) or JSON (false). */
    public static final String BINARY_DATA = "binary_data";
    /** The request parameter giving, in microseconds from arrival, by when it must have run (Triton's name and unit). */
    public static final String TIMEOUT = "timeout";

    private InferRequestBody() {
    }

    /**
     * Decodes a request body; element kinds and counts are checked, not the model's signature (see
     * {@link V2Codec#validateAgainst}). Every problem is a 400 saying what is wrong.
     *
     * @param headerLength the request's {@value InferBody#HEADER_LENGTH} header; null when it has none (all JSON)
     */
    public static InferRequest decode(Buffer body, String headerLength) {
        InferBody.Framed framed = InferBody.split(body, headerLength);
        JsonObject json = framed.header();
        Object id = json.getValue("id");
        if (id != null && !(id instanceof String)) {
            throw V2Exception.badRequest("id must be a string");
        }
        JsonObject parameters = TensorEntry.parameters(json, "the request");
        Boolean binaryOutput = TensorEntry.flag(parameters, BINARY_DATA_OUTPUT, "the request");
        long timeoutMicros = timeout(parameters.getValue(TIMEOUT));
        if (!(json.getValue("inputs") instanceof JsonArray inputs)) {
            throw V2Exception.badRequest(json.containsKey("inputs") ? "inputs must be an array" : "inputs is missing");
        }
        List<Buffer> binary = framed.parts(inputs, "input");
        List<Tensor> tensors = new ArrayList<>(inputs.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (!(inputs.getValue(i) instanceof JsonObject input)) {
                throw V2Exception.badRequest("inputs[" + i + "] must be an object");
            }
            Tensor tensor = TensorEntry.parse(input, "input", i, binary.get(i));
            if (!names.add(tensor.name())) {
                throw V2Exception.badRequest("input '" + tensor.name() + "' is given twice");
            }
            tensors.add(tensor);
        }
        return new InferRequest((String) id, tensors, outputs(json.getValue("outputs")), Boolean.TRUE.equals(binaryOutput),
                timeoutMicros);
    }

    /**
     * A request as a body framed by the binary extension: every input as binary data, the outputs with their
     * {@code binary_data} where given, {@code binary_data_output} when the request asks for it.
     */
    public static InferBody.Encoded encode(InferRequest request) {
        JsonObject header = new JsonObject();
        if (request.id() != null) {
            header.put("id", request.id());
        }
        JsonArray inputs = new JsonArray();
        request.inputs().forEach(t -> inputs.add(TensorEntry.binary(t)));
        header.put("inputs", inputs);
        if (!request.outputs().isEmpty()) {
            JsonArray outputs = new JsonArray();
            for (RequestedOutput output : request.outputs()) {
                JsonObject entry = new JsonObject().put("name", output.name());
                if (output.binaryData() != null) {
                    entry.put("parameters", new JsonObject().put(BINARY_DATA, output.binaryData()));
                }
                outputs.add(entry);
            }
            header.put("outputs", outputs);
        }
        JsonObject parameters = new JsonObject();
        if (request.binaryOutput()) {
            parameters.put(BINARY_DATA_OUTPUT, true);
        }
        if (request.timeoutMicros() > 0) {
            parameters.put(TIMEOUT, request.timeoutMicros());
        }
        if (!parameters.isEmpty()) {
            header.put("parameters", parameters);
        }
        return InferBody.frameTensors(header, request.inputs());
    }

    /** {@code parameters.timeout}: a non-negative whole number of microseconds; 0 when absent. */
    private static long timeout(Object value) {
        if (value == null) {
            return 0;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0) {
            throw V2Exception.badRequest("parameters." + TIMEOUT + " must be a non-negative whole number of "
                    + "microseconds, got " + value);
        }
        return ((Number) value).longValue();
    }

    private static List<RequestedOutput> outputs(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw V2Exception.badRequest("outputs must be an array");
        }
        List<RequestedOutput> outputs = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            if (!(array.getValue(i) instanceof JsonObject output) || !(output.getValue("name") instanceof String name)) {
                throw V2Exception.badRequest("outputs[" + i + "] needs a name");
            }
            String where = "output '" + name + "'";
            JsonObject parameters = TensorEntry.parameters(output, where);
            if (parameters.containsKey("classification")) {
                throw V2Exception.badRequest(where + ": the classification extension is not supported");
            }
            outputs.add(new RequestedOutput(name, TensorEntry.flag(parameters, BINARY_DATA, where)));
        }
        return outputs;
    }
}
