package io.trims.placement;

import com.google.protobuf.ByteString;
import io.trims.protocol.BinaryTensors;
import io.trims.protocol.InferBody;
import io.trims.protocol.InferRequestBody;
import io.trims.protocol.InferResponse;
import io.trims.protocol.InferResponseBody;
import io.trims.protocol.V2Exception;
import io.trims.protocol.grpc.InferParameter;
import io.trims.protocol.grpc.InferTensorContents;
import io.trims.protocol.grpc.ModelInferRequest;
import io.trims.protocol.grpc.ModelInferResponse;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a gRPC ModelInferRequest into the REST v2 body the agents take, and the agent's answer back into a
 * ModelInferResponse. Both ways travel in the binary tensor data extension, whose layout is gRPC's raw contents
 * (flattened row-major, little-endian, BYTES elements length-prefixed): every value reaches the model bit for bit,
 * NaN and infinities included, which JSON could not carry.
 *
 * <p>Outputs come back as raw_output_contents, as Triton answers and as tritonclient reads them, unless the request
 * gave its inputs as typed {@code contents}: then the outputs are typed too, so that a client that writes typed
 * values (grpcurl, a generated stub) reads typed values.
 */
final class GrpcInferBodies {

    private GrpcInferBodies() {
    }

    /** The v2 request body for a gRPC request; a request that cannot be one is a 400 saying why. */
    static ForwardedBody forward(ModelInferRequest request) {
        int rawCount = request.getRawInputContentsCount();
        if (rawCount > 0 && rawCount != request.getInputsCount()) {
            throw V2Exception.badRequest("raw_input_contents has " + rawCount + " entries for "
                    + request.getInputsCount() + " inputs: it takes one per input, in the order of inputs");
        }
        JsonArray inputs = new JsonArray();
        List<Buffer> parts = new ArrayList<>(request.getInputsCount());
        for (int i = 0; i < request.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor input = request.getInputs(i);
            if (input.getName().isEmpty()) {
                throw V2Exception.badRequest("inputs[" + i + "] needs a name");
            }
            String where = "input '" + input.getName() + "'";
            DataType type = DataType.fromV2(input.getDatatype()).orElseThrow(() -> V2Exception.badRequest(where
                    + ": " + (input.getDatatype().isEmpty() ? "datatype is missing"
                    : "unsupported datatype '" + input.getDatatype() + "'")));
            long[] shape = shape(input.getShapeList(), where);
            int count = elementCount(shape, where);
            Buffer part;
            if (rawCount > 0) {
                if (input.hasContents()) {
                    throw V2Exception.badRequest(where + " has contents while the request has raw_input_contents; "
                            + "give every input one way");
                }
                part = Buffer.buffer(request.getRawInputContents(i).toByteArray());
                checkRaw(input.getName(), where, type, shape, count, part);
            } else {
                part = BinaryTensors.toBuffer(typed(input.getName(), where, type, shape, count, input.getContents()));
            }
            parts.add(part);
            inputs.add(new JsonObject().put("name", input.getName()).put("datatype", type.name())
                    .put("shape", new JsonArray(new ArrayList<>(input.getShapeList())))
                    .put("parameters", new JsonObject().put(InferBody.BINARY_DATA_SIZE, part.length())));
        }
        JsonObject header = new JsonObject();
        if (!request.getId().isEmpty()) {
            header.put("id", request.getId());
        }
        header.put("inputs", inputs);
        if (request.getOutputsCount() > 0) {
            JsonArray outputs = new JsonArray();
            request.getOutputsList().forEach(o -> outputs.add(new JsonObject().put("name", o.getName())
                    .put("parameters", new JsonObject().put(InferRequestBody.BINARY_DATA, true))));
            header.put("outputs", outputs);
        }
        header.put("parameters", new JsonObject().put(InferRequestBody.BINARY_DATA_OUTPUT, true));
        InferBody.Encoded body = InferBody.frame(header, parts);
        return new ForwardedBody(body.body(), body.putHeaders(MultiMap.caseInsensitiveMultiMap()));
    }

    /**
     * The gRPC response for the agent's answer to {@code request}. An error answer fails with its status and the
     * agent's message; an answer that is not a v2 inference response is a 500.
     */
    static ModelInferResponse answer(ModelInferRequest request, Routed routed) {
        Buffer body = routed.answer().body();
        if (routed.status() >= 400) {
            JsonObject json = json(body);
            String error = json != null && json.getValue("error") instanceof String e ? e
                    : "host '" + routed.placement().host() + "' answered " + routed.status();
            throw new V2Exception(routed.status(), error);
        }
        InferResponse decoded;
        try {
            decoded = InferResponseBody.decode(body == null ? Buffer.buffer() : body,
                    routed.answer().header(InferBody.HEADER_LENGTH));
        } catch (V2Exception e) {
            throw unreadable(routed, e.getMessage());
        }
        boolean raw = request.getRawInputContentsCount() > 0 || request.getInputsCount() == 0;
        ModelInferResponse.Builder response = ModelInferResponse.newBuilder()
                .setModelName(decoded.modelName() != null ? decoded.modelName() : request.getModelName())
                .setModelVersion(decoded.modelVersion() != null ? decoded.modelVersion() : "");
        if (decoded.id() != null) {
            response.setId(decoded.id());
        }
        for (Tensor output : decoded.outputs()) {
            ModelInferResponse.InferOutputTensor.Builder tensor = ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(output.name()).setDatatype(output.type().name());
            for (long d : output.shape()) {
                tensor.addShape(d);
            }
            if (raw) {
                response.addRawOutputContents(ByteString.copyFrom(BinaryTensors.toBuffer(output).getBytes()));
            } else {
                tensor.setContents(contents(output));
            }
            response.addOutputs(tensor);
        }
        return response.putParameters("trims_host", text(routed.answer().header(Routed.HOST_HEADER),
                        routed.placement().host()))
                .putParameters("trims_placement", text(routed.placement().expectedTier(), ""))
                .putParameters("trims_tier", text(routed.answer().header(Routed.TIER_HEADER), ""))
                .build();
    }

    private static long[] shape(List<Long> dims, String where) {
        long[] shape = new long[dims.size()];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = dims.get(d);
            if (shape[d] < 0) {
                throw V2Exception.badRequest(where + ": shape must be non-negative, got " + dims);
            }
        }
        return shape;
    }

    private static int elementCount(long[] shape, String where) {
        long n;
        try {
            n = Tensor.elementCount(shape);
        } catch (ArithmeticException e) {
            n = Long.MAX_VALUE;
        }
        if (n > Integer.MAX_VALUE) {
            throw V2Exception.badRequest(where + ": shape " + text(shape) + " is too large");
        }
        return (int) n;
    }

    /** Fixed-size elements must fill the shape exactly; BYTES elements must be whole length-prefixed strings. */
    private static void checkRaw(String name, String where, DataType type, long[] shape, int count, Buffer raw) {
        if (!type.fixedSize()) {
            BinaryTensors.read(name, type, shape, raw, where + " (raw_input_contents)");
            return;
        }
        long needed = (long) count * type.elementBytes();
        if (raw.length() != needed) {
            throw V2Exception.badRequest(where + ": raw_input_contents holds " + raw.length() + " bytes; shape "
                    + text(shape) + " of " + type + " needs " + needed);
        }
    }

    /** The tensor in the typed field the datatype names, checked against the shape. */
    private static Tensor typed(String name, String where, DataType type, long[] shape, int count,
                                InferTensorContents contents) {
        Object data = switch (type) {
            case BOOL -> {
                List<Boolean> values = counted(where, type, shape, count, "bool_contents", contents.getBoolContentsList());
                boolean[] out = new boolean[count];
                for (int i = 0; i < count; i++) {
                    out[i] = values.get(i);
                }
                yield out;
            }
            case INT8 -> {
                List<Integer> values = counted(where, type, shape, count, "int_contents", contents.getIntContentsList());
                byte[] out = new byte[count];
                for (int i = 0; i < count; i++) {
                    out[i] = (byte) (int) values.get(i);
                }
                yield out;
            }
            case UINT8 -> {
                List<Integer> values = counted(where, type, shape, count, "uint_contents", contents.getUintContentsList());
                byte[] out = new byte[count];
                for (int i = 0; i < count; i++) {
                    out[i] = (byte) (int) values.get(i);
                }
                yield out;
            }
            case INT16 -> {
                List<Integer> values = counted(where, type, shape, count, "int_contents", contents.getIntContentsList());
                short[] out = new short[count];
                for (int i = 0; i < count; i++) {
                    out[i] = (short) (int) values.get(i);
                }
                yield out;
            }
            case INT32 -> counted(where, type, shape, count, "int_contents", contents.getIntContentsList())
                    .stream().mapToInt(Integer::intValue).toArray();
            case INT64 -> counted(where, type, shape, count, "int64_contents", contents.getInt64ContentsList())
                    .stream().mapToLong(Long::longValue).toArray();
            case FP32 -> {
                List<Float> values = counted(where, type, shape, count, "fp32_contents", contents.getFp32ContentsList());
                float[] out = new float[count];
                for (int i = 0; i < count; i++) {
                    out[i] = values.get(i);
                }
                yield out;
            }
            case FP64 -> counted(where, type, shape, count, "fp64_contents", contents.getFp64ContentsList())
                    .stream().mapToDouble(Double::doubleValue).toArray();
            case BYTES -> counted(where, type, shape, count, "bytes_contents", contents.getBytesContentsList())
                    .stream().map(ByteString::toByteArray).toArray(byte[][]::new);
            case FP16, BF16 -> throw V2Exception.badRequest(where + ": " + type
                    + " has no typed contents field; send it as raw_input_contents");
        };
        return new Tensor(name, type, shape, data);
    }

    private static <T> List<T> counted(String where, DataType type, long[] shape, int count, String field,
                                       List<T> values) {
        if (values.size() != count) {
            throw V2Exception.badRequest(where + ": shape " + text(shape) + " needs " + count
                    + " values in contents." + field + " (for " + type + "), got " + values.size());
        }
        return values;
    }

    private static InferTensorContents contents(Tensor output) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        Object data = output.data();
        switch (output.type()) {
            case BOOL -> {
                for (boolean v : (boolean[]) data) {
                    contents.addBoolContents(v);
                }
            }
            case INT8 -> {
                for (byte v : (byte[]) data) {
                    contents.addIntContents(v);
                }
            }
            case UINT8 -> {
                for (byte v : (byte[]) data) {
                    contents.addUintContents(Byte.toUnsignedInt(v));
                }
            }
            case INT16 -> {
                for (short v : (short[]) data) {
                    contents.addIntContents(v);
                }
            }
            case INT32 -> {
                for (int v : (int[]) data) {
                    contents.addIntContents(v);
                }
            }
            case INT64 -> {
                for (long v : (long[]) data) {
                    contents.addInt64Contents(v);
                }
            }
            case FP32 -> {
                for (float v : (float[]) data) {
                    contents.addFp32Contents(v);
                }
            }
            case FP64 -> {
                for (double v : (double[]) data) {
                    contents.addFp64Contents(v);
                }
            }
            case BYTES -> {
                for (byte[] v : (byte[][]) data) {
                    contents.addBytesContents(ByteString.copyFrom(v));
                }
            }
            case FP16, BF16 -> throw V2Exception.badRequest("output '" + output.name() + "' is " + output.type()
                    + ", which has no typed contents field: send the inputs as raw_input_contents to read it raw");
        }
        return contents.build();
    }

    private static JsonObject json(Buffer body) {
        if (body == null || body.length() == 0) {
            return null;
        }
        try {
            return body.toJsonValue() instanceof JsonObject object ? object : null;
        } catch (DecodeException e) {
            return null;
        }
    }

    private static V2Exception unreadable(Routed routed, String what) {
        return new V2Exception(500, "host '" + routed.placement().host() + "' answered with an unreadable inference "
                + "response: " + what);
    }

    private static InferParameter text(String value, String fallback) {
        return InferParameter.newBuilder().setStringParam(value != null ? value : fallback).build();
    }

    private static String text(long[] shape) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            out.append(i == 0 ? "" : ",").append(shape[i]);
        }
        return out.append(']').toString();
    }
}
