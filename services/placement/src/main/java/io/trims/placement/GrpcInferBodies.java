package io.trims.placement;

import com.google.protobuf.ByteString;
import io.trims.protocol.InferBody;
import io.trims.protocol.V2Exception;
import io.trims.protocol.grpc.InferParameter;
import io.trims.protocol.grpc.InferTensorContents;
import io.trims.protocol.grpc.ModelInferRequest;
import io.trims.protocol.grpc.ModelInferResponse;
import io.trims.protocol.tensor.DataType;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a gRPC ModelInferRequest into the REST v2 body the agents take, and the agent's REST answer back into a
 * ModelInferResponse. The forwarded body is plain v2 JSON for now; this class is the one place that knows it, so
 * that the binary tensor data extension can replace its insides (raw_input_contents already is that layout:
 * flattened row-major, little-endian).
 *
 * <p>Outputs come back as raw_output_contents, as Triton answers and as tritonclient reads them, unless the request
 * gave its inputs as typed {@code contents}: then the outputs are typed too, so that a client that writes typed
 * values (grpcurl, a generated stub) reads typed values.
 */
final class GrpcInferBodies {

    private GrpcInferBodies() {
    }

    /** The REST v2 request body for a gRPC request; a request that cannot be one is a 400 saying why. */
    static ForwardedBody forward(ModelInferRequest request) {
        int rawCount = request.getRawInputContentsCount();
        if (rawCount > 0 && rawCount != request.getInputsCount()) {
            throw V2Exception.badRequest("raw_input_contents has " + rawCount + " entries for "
                    + request.getInputsCount() + " inputs: it takes one per input, in the order of inputs");
        }
        JsonArray inputs = new JsonArray();
        for (int i = 0; i < request.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor input = request.getInputs(i);
            if (input.getName().isEmpty()) {
                throw V2Exception.badRequest("inputs[" + i + "] needs a name");
            }
            String where = "input '" + input.getName() + "': ";
            DataType type = DataType.fromV2(input.getDatatype()).orElseThrow(() -> V2Exception.badRequest(where
                    + (input.getDatatype().isEmpty() ? "datatype is missing"
                    : "unsupported datatype '" + input.getDatatype() + "'")));
            long[] shape = shape(input.getShapeList(), where);
            int count = elementCount(shape, where);
            JsonArray data;
            if (rawCount > 0) {
                if (input.hasContents()) {
                    throw V2Exception.badRequest(where + "has contents while the request has raw_input_contents; "
                            + "give every input one way");
                }
                data = fromRaw(where, type, shape, count, request.getRawInputContents(i));
            } else {
                data = fromContents(where, type, shape, count, input.getContents());
            }
            inputs.add(new JsonObject().put("name", input.getName()).put("datatype", type.name())
                    .put("shape", new JsonArray(new ArrayList<>(input.getShapeList()))).put("data", data));
        }
        JsonObject body = new JsonObject();
        if (!request.getId().isEmpty()) {
            body.put("id", request.getId());
        }
        body.put("inputs", inputs);
        if (request.getOutputsCount() > 0) {
            JsonArray outputs = new JsonArray();
            request.getOutputsList().forEach(o -> outputs.add(new JsonObject().put("name", o.getName())));
            body.put("outputs", outputs);
        }
        return new ForwardedBody(body.toBuffer(), MultiMap.caseInsensitiveMultiMap().set("content-type", InferBody.JSON));
    }

    /**
     * The gRPC response for the agent's answer to {@code request}. An error answer fails with its status and the
     * agent's message; an answer that is not a v2 inference response is a 500.
     */
    static ModelInferResponse answer(ModelInferRequest request, Routed routed) {
        JsonObject json = json(routed.answer().body());
        if (routed.status() >= 400) {
            String error = json != null && json.getValue("error") instanceof String e ? e
                    : "host '" + routed.placement().host() + "' answered " + routed.status();
            throw new V2Exception(routed.status(), error);
        }
        if (json == null || !(json.getValue("outputs") instanceof JsonArray outputs)) {
            throw unreadable(routed, "no outputs");
        }
        boolean raw = request.getRawInputContentsCount() > 0 || request.getInputsCount() == 0;
        ModelInferResponse.Builder response = ModelInferResponse.newBuilder()
                .setModelName(json.getString("model_name", request.getModelName()))
                .setModelVersion(json.getString("model_version", ""));
        if (json.getValue("id") instanceof String id) {
            response.setId(id);
        }
        for (int i = 0; i < outputs.size(); i++) {
            if (!(outputs.getValue(i) instanceof JsonObject output)
                    || !(output.getValue("name") instanceof String name)
                    || !(output.getValue("shape") instanceof JsonArray shape)
                    || !(output.getValue("datatype") instanceof String datatype)) {
                throw unreadable(routed, "outputs[" + i + "] is not a tensor");
            }
            DataType type = DataType.fromV2(datatype)
                    .orElseThrow(() -> unreadable(routed, "output '" + name + "' has datatype " + datatype));
            List<Object> values = new ArrayList<>();
            flatten(output.getValue("data"), values);
            ModelInferResponse.InferOutputTensor.Builder tensor = ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(name).setDatatype(type.name());
            for (int d = 0; d < shape.size(); d++) {
                tensor.addShape(((Number) shape.getValue(d)).longValue());
            }
            try {
                if (raw) {
                    response.addRawOutputContents(toRaw(type, values));
                } else {
                    tensor.setContents(toContents(type, values));
                }
            } catch (ClassCastException | NullPointerException e) {
                throw unreadable(routed, "output '" + name + "' holds a value that is not " + type);
            }
            response.addOutputs(tensor);
        }
        return response.putParameters("trims_host", text(routed.answer().getHeader(Routed.HOST_HEADER),
                        routed.placement().host()))
                .putParameters("trims_placement", text(routed.placement().expectedTier(), ""))
                .putParameters("trims_tier", text(routed.answer().getHeader(Routed.TIER_HEADER), ""))
                .build();
    }

    private static long[] shape(List<Long> dims, String where) {
        long[] shape = new long[dims.size()];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = dims.get(d);
            if (shape[d] < 0) {
                throw V2Exception.badRequest(where + "shape must be non-negative, got " + dims);
            }
        }
        return shape;
    }

    private static int elementCount(long[] shape, String where) {
        long n = 1;
        try {
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
        } catch (ArithmeticException e) {
            n = Long.MAX_VALUE;
        }
        if (n > Integer.MAX_VALUE) {
            throw V2Exception.badRequest(where + "shape " + text(shape) + " is too large");
        }
        return (int) n;
    }

    private static int elementBytes(DataType type, String where) {
        return switch (type) {
            case BOOL, INT8, UINT8 -> 1;
            case INT16 -> 2;
            case INT32, FP32 -> 4;
            case INT64, FP64 -> 8;
            default -> throw V2Exception.badRequest(where + type + " is not served over gRPC");
        };
    }

    /** Little-endian, row-major elements as JSON values. */
    private static JsonArray fromRaw(String where, DataType type, long[] shape, int count, ByteString bytes) {
        long needed = (long) count * elementBytes(type, where);
        if (bytes.size() != needed) {
            throw V2Exception.badRequest(where + "raw_input_contents holds " + bytes.size() + " bytes; shape "
                    + text(shape) + " of " + type + " needs " + needed);
        }
        ByteBuffer in = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        List<Object> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(switch (type) {
                case BOOL -> in.get() != 0;
                case INT8 -> (int) in.get();
                case UINT8 -> Byte.toUnsignedInt(in.get());
                case INT16 -> (int) in.getShort();
                case INT32 -> in.getInt();
                case INT64 -> in.getLong();
                case FP32 -> in.getFloat();
                case FP64 -> in.getDouble();
                default -> throw new IllegalStateException("unhandled " + type);
            });
        }
        return new JsonArray(values);
    }

    /** The typed field the datatype names, checked against the shape. */
    private static JsonArray fromContents(String where, DataType type, long[] shape, int count,
                                          InferTensorContents contents) {
        List<?> values = switch (type) {
            case BOOL -> counted(where, type, shape, count, "bool_contents", contents.getBoolContentsList());
            case INT8, INT16, INT32 -> counted(where, type, shape, count, "int_contents", contents.getIntContentsList());
            case UINT8 -> counted(where, type, shape, count, "uint_contents", contents.getUintContentsList()).stream()
                    .map(Integer::toUnsignedLong).toList();
            case INT64 -> counted(where, type, shape, count, "int64_contents", contents.getInt64ContentsList());
            case FP32 -> counted(where, type, shape, count, "fp32_contents", contents.getFp32ContentsList());
            case FP64 -> counted(where, type, shape, count, "fp64_contents", contents.getFp64ContentsList());
            default -> throw V2Exception.badRequest(where + type + " is not served over gRPC");
        };
        return new JsonArray(new ArrayList<>(values));
    }

    private static <T> List<T> counted(String where, DataType type, long[] shape, int count, String field,
                                       List<T> values) {
        if (values.size() != count) {
            throw V2Exception.badRequest(where + "shape " + text(shape) + " needs " + count + " values in contents."
                    + field + " (for " + type + "), got " + values.size());
        }
        return values;
    }

    private static ByteString toRaw(DataType type, List<Object> values) {
        ByteBuffer out = ByteBuffer.allocate(values.size() * elementBytes(type, "output: "))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (Object v : values) {
            switch (type) {
                case BOOL -> out.put((byte) ((Boolean) v ? 1 : 0));
                case INT8, UINT8 -> out.put((byte) ((Number) v).intValue());
                case INT16 -> out.putShort((short) ((Number) v).intValue());
                case INT32 -> out.putInt(((Number) v).intValue());
                case INT64 -> out.putLong(((Number) v).longValue());
                case FP32 -> out.putFloat(((Number) v).floatValue());
                case FP64 -> out.putDouble(((Number) v).doubleValue());
                default -> throw new IllegalStateException("unhandled " + type);
            }
        }
        return ByteString.copyFrom(out.flip());
    }

    private static InferTensorContents toContents(DataType type, List<Object> values) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (Object v : values) {
            switch (type) {
                case BOOL -> contents.addBoolContents((Boolean) v);
                case INT8, INT16, INT32 -> contents.addIntContents(((Number) v).intValue());
                case UINT8 -> contents.addUintContents(((Number) v).intValue());
                case INT64 -> contents.addInt64Contents(((Number) v).longValue());
                case FP32 -> contents.addFp32Contents(((Number) v).floatValue());
                case FP64 -> contents.addFp64Contents(((Number) v).doubleValue());
                default -> throw new IllegalStateException("unhandled " + type);
            }
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

    private static void flatten(Object data, List<Object> out) {
        if (data instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                flatten(array.getValue(i), out);
            }
        } else {
            out.add(data);
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
