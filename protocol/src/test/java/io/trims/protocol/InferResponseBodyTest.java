package io.trims.protocol;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InferResponseBodyTest {

    private static final Tensor Y = new Tensor("y", DataType.FP32, new long[]{2, 2}, new float[]{0.1f, -3, Float.MIN_VALUE, 7});
    private static final Tensor S = new Tensor("s", DataType.BYTES, new long[]{2}, new byte[][]{"ab".getBytes(), {}});
    private static final Tensor H = new Tensor("h", DataType.FP16, new long[]{1}, new short[]{0x3c00});

    private static InferRequest asking(boolean binaryOutput, RequestedOutput... outputs) {
        return new InferRequest("id-1", List.of(), List.of(outputs), binaryOutput);
    }

    @Test
    void binaryDataOutputSendsEveryOutputAfterTheJsonHeaderInOutputOrder() {
        InferBody.Encoded encoded = InferResponseBody.encode("m", "1", "id-1", List.of(Y, S, H), asking(true));
        assertTrue(encoded.binary());
        MultiMap headers = encoded.putHeaders(MultiMap.caseInsensitiveMultiMap());
        assertEquals("application/octet-stream", headers.get("Content-Type"));
        assertEquals(Integer.toString(encoded.headerLength()), headers.get("inference-header-content-length"));

        Buffer body = encoded.body();
        JsonObject header = new JsonObject(body.slice(0, encoded.headerLength()));
        assertEquals("id-1", header.getString("id"));
        JsonObject y = header.getJsonArray("outputs").getJsonObject(0);
        assertFalse(y.containsKey("data"));
        assertEquals(16, y.getJsonObject("parameters").getLong("binary_data_size"));
        assertEquals(10, header.getJsonArray("outputs").getJsonObject(1).getJsonObject("parameters").getLong("binary_data_size"));
        assertEquals(encoded.headerLength() + 16 + 10 + 2, body.length());
        ByteBuffer raw = ByteBuffer.wrap(body.getBytes(encoded.headerLength(), body.length())).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : (float[]) Y.data()) {
            assertEquals(Float.floatToRawIntBits(v), raw.getInt());
        }
        assertEquals(2, raw.getInt());
        assertEquals('a', raw.get());
        assertEquals('b', raw.get());
        assertEquals(0, raw.getInt());
        assertEquals(0x3c00, raw.getShort());

        InferResponse back = InferResponseBody.decode(body, Integer.toString(encoded.headerLength()));
        assertEquals(List.of(Y, S, H), back.outputs());
        assertEquals("m", back.modelName());
        assertEquals("1", back.modelVersion());
    }

    @Test
    void anOutputsOwnBinaryDataOverridesTheRequests() {
        InferBody.Encoded encoded = InferResponseBody.encode("m", "1", null, List.of(Y, S),
                asking(true, new RequestedOutput("y", false), RequestedOutput.named("s")));
        JsonObject header = new JsonObject(encoded.body().slice(0, encoded.headerLength()));
        assertEquals(4, header.getJsonArray("outputs").getJsonObject(0).getJsonArray("data").size());
        assertEquals(10, header.getJsonArray("outputs").getJsonObject(1).getJsonObject("parameters").getLong("binary_data_size"));
        assertEquals(encoded.headerLength() + 10, encoded.body().length());
        InferResponse back = InferResponseBody.decode(encoded.body(), Integer.toString(encoded.headerLength()));
        assertEquals(List.of(Y, S), back.outputs());
        assertNull(back.id());

        InferBody.Encoded one = InferResponseBody.encode("m", "1", null, List.of(Y, S),
                asking(false, new RequestedOutput("s", true)));
        assertEquals(encoded.headerLength() + 10, encoded.body().length());
        assertEquals(List.of(Y, S), InferResponseBody.decode(one.body(), Integer.toString(one.headerLength())).outputs());
    }

    @Test
    void anAllJsonAnswerIsExactlyTheJsonOfBefore() {
        InferBody.Encoded encoded = InferResponseBody.encode("m", "1", "id-1", List.of(Y, S, H),
                asking(false, RequestedOutput.named("y"), new RequestedOutput("s", false)));
        assertFalse(encoded.binary());
        assertEquals(-1, encoded.headerLength());
        assertEquals(V2Codec.formatResponse("m", "1", "id-1", List.of(Y, S, H)).toBuffer(), encoded.body());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().set(InferBody.HEADER_LENGTH, "12");
        encoded.putHeaders(headers);
        assertEquals("application/json", headers.get("content-type"));
        assertNull(headers.get(InferBody.HEADER_LENGTH));
        JsonObject json = new JsonObject(encoded.body());
        assertEquals("ab", json.getJsonArray("outputs").getJsonObject(1).getJsonArray("data").getString(0));
        assertEquals(1.0, json.getJsonArray("outputs").getJsonObject(2).getJsonArray("data").getDouble(0));
        assertEquals(List.of(Y, S, H), InferResponseBody.decode(encoded.body(), null).outputs());
    }

    @Test
    void framingRawPartsIsWhatAGrpcFrontEndForwards() {
        JsonObject header = new JsonObject().put("inputs", new io.vertx.core.json.JsonArray().add(new JsonObject()
                .put("name", "x").put("datatype", "INT32").put("shape", new io.vertx.core.json.JsonArray().add(2))
                .put("parameters", new JsonObject().put("binary_data_size", 8))));
        InferBody.Encoded framed = InferBody.frame(header, List.of(Buffer.buffer().appendIntLE(-7).appendIntLE(9)));
        InferRequest request = InferRequestBody.decode(framed.body(), Integer.toString(framed.headerLength()));
        assertArrayEquals(new int[]{-7, 9}, (int[]) request.inputs().get(0).data());

        InferBody.Framed split = InferBody.split(framed.body(), Integer.toString(framed.headerLength()));
        List<Buffer> parts = split.parts(split.header().getJsonArray("inputs"), "input");
        assertEquals(Buffer.buffer().appendIntLE(-7).appendIntLE(9), parts.get(0));
    }

    @Test
    void aMalformedAnswerIsRefusedLikeAMalformedRequest() {
        String json = "{\"outputs\": [{\"name\": \"y\", \"shape\": [2], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 8}}]}";
        Buffer body = Buffer.buffer(json).appendFloatLE(1);
        String message = assertThrows(V2Exception.class,
                () -> InferResponseBody.decode(body, Integer.toString(json.length()))).getMessage();
        assertEquals("the body has 4 bytes of binary data after its JSON header, but the outputs' binary_data_size add up to 8",
                message);
    }
}
