package io.trims.protocol;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.HalfFloats;
import io.trims.protocol.tensor.Tensor;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests framed by the binary tensor data extension, built byte by byte the way tritonclient.http builds them. */
class InferRequestBodyTest {

    /** A JSON header followed by raw parts; returns the body, the header's length is {@link #length}. */
    private static Buffer body(String json, byte[]... parts) {
        Buffer body = Buffer.buffer(json.getBytes(StandardCharsets.UTF_8));
        for (byte[] part : parts) {
            body.appendBytes(part);
        }
        return body;
    }

    private static String length(String json) {
        return Integer.toString(json.getBytes(StandardCharsets.UTF_8).length);
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static byte[] le(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (byte) bytes[i];
        }
        return out;
    }

    /** BYTES elements in the binary form: a 4-byte little-endian length before each. */
    private static byte[] strings(String... values) {
        Buffer b = Buffer.buffer();
        for (String v : values) {
            byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
            b.appendIntLE(utf8.length).appendBytes(utf8);
        }
        return b.getBytes();
    }

    private static InferRequest decode(String json, byte[]... parts) {
        return InferRequestBody.decode(body(json, parts), length(json));
    }

    private static String refused(String json, byte[]... parts) {
        return assertThrows(V2Exception.class, () -> decode(json, parts)).getMessage();
    }

    @Test
    void aTritonClientRequestIsReadInInputOrder() {
        // json.dumps as tritonclient.http writes it: binary_data_size per input, binary_data_output when no outputs.
        String json = "{\"id\": \"7\", \"inputs\": [{\"name\": \"A\", \"shape\": [2, 2], \"datatype\": \"FP32\","
                + " \"parameters\": {\"binary_data_size\": 16}}, {\"name\": \"B\", \"shape\": [3], \"datatype\": \"BOOL\","
                + " \"parameters\": {\"binary_data_size\": 3}}], \"parameters\": {\"binary_data_output\": true}}";
        InferRequest request = decode(json, floats(1, -2.5f, 3, 0x1p-149f), le(1, 0, 1));
        assertEquals("7", request.id());
        assertTrue(request.binaryOutput());
        assertTrue(request.binary("anything"));
        assertEquals(List.of(), request.outputs());
        assertArrayEquals(new float[]{1, -2.5f, 3, 0x1p-149f}, (float[]) request.inputs().get(0).data());
        assertArrayEquals(new long[]{2, 2}, request.inputs().get(0).shape());
        assertArrayEquals(new boolean[]{true, false, true}, (boolean[]) request.inputs().get(1).data());
    }

    @Test
    void binaryAndJsonInputsMixAndOutputsSayHowTheyWantToBeAnswered() {
        String json = "{\"inputs\": [{\"name\": \"j\", \"shape\": [2], \"datatype\": \"INT64\", \"data\": [5, 6]},"
                + "{\"name\": \"s\", \"shape\": [2], \"datatype\": \"BYTES\", \"parameters\": {\"binary_data_size\": 14}},"
                + "{\"name\": \"h\", \"shape\": [1], \"datatype\": \"FP16\", \"parameters\": {\"binary_data_size\": 2}}],"
                + " \"outputs\": [{\"name\": \"y\", \"parameters\": {\"binary_data\": true}}, {\"name\": \"z\"},"
                + " {\"name\": \"w\", \"parameters\": {\"binary_data\": false}}]}";
        InferRequest request = decode(json, strings("héllo", ""), le(0x00, 0x3c));
        assertArrayEquals(new long[]{5, 6}, (long[]) request.inputs().get(0).data());
        byte[][] s = (byte[][]) request.inputs().get(1).data();
        assertEquals("héllo", new String(s[0], StandardCharsets.UTF_8));
        assertEquals(0, s[1].length);
        assertEquals(1f, HalfFloats.fromFp16(((short[]) request.inputs().get(2).data())[0]));
        assertEquals(List.of("y", "z", "w"), request.requestedOutputs());
        assertFalse(request.binaryOutput());
        assertTrue(request.binary("y"));
        assertFalse(request.binary("z"));
        assertFalse(request.binary("w"));
    }

    @Test
    void everyTypeSurvivesEncodeAndDecode() {
        List<Tensor> inputs = List.of(
                new Tensor("bool", DataType.BOOL, new long[]{2}, new boolean[]{true, false}),
                new Tensor("i8", DataType.INT8, new long[]{2}, new byte[]{-128, 127}),
                new Tensor("u8", DataType.UINT8, new long[]{1}, new byte[]{(byte) 255}),
                new Tensor("i16", DataType.INT16, new long[]{2}, new short[]{-32768, 32767}),
                new Tensor("i32", DataType.INT32, new long[]{1}, new int[]{Integer.MIN_VALUE}),
                new Tensor("i64", DataType.INT64, new long[]{1}, new long[]{Long.MAX_VALUE}),
                new Tensor("f16", DataType.FP16, new long[]{2}, new short[]{0x3c00, (short) 0xfc00}),
                new Tensor("bf16", DataType.BF16, new long[]{1}, new short[]{0x3f80}),
                new Tensor("f32", DataType.FP32, new long[]{1, 2}, new float[]{Float.MIN_VALUE, -0f}),
                new Tensor("f64", DataType.FP64, new long[]{1}, new double[]{Math.PI}),
                new Tensor("text", DataType.BYTES, new long[]{2}, new byte[][]{{0, (byte) 0xff}, "ok".getBytes()}),
                new Tensor("scalar", DataType.FP32, new long[]{}, new float[]{4}));
        InferRequest request = new InferRequest("r", inputs, List.of(new RequestedOutput("y", true),
                RequestedOutput.named("z")), true);
        InferBody.Encoded encoded = InferRequestBody.encode(request);
        assertTrue(encoded.binary());
        assertEquals(InferBody.OCTET_STREAM, encoded.contentType());
        InferRequest back = InferRequestBody.decode(encoded.body(), Integer.toString(encoded.headerLength()));
        assertEquals(request, back);
    }

    @Test
    void withoutTheHeaderTheBodyIsJsonAsBefore() {
        InferRequest request = InferRequestBody.decode(Buffer.buffer("{\"inputs\": [{\"name\": \"h\", \"shape\": [2],"
                + " \"datatype\": \"FP16\", \"data\": [1.5, 65504]}, {\"name\": \"b\", \"shape\": [1], \"datatype\": \"BF16\","
                + " \"data\": [-2]}, {\"name\": \"s\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"naïve\"]}]}"), null);
        assertArrayEquals(new short[]{0x3e00, 0x7bff}, (short[]) request.inputs().get(0).data());
        assertArrayEquals(new short[]{(short) 0xc000}, (short[]) request.inputs().get(1).data());
        assertEquals("naïve", new String(((byte[][]) request.inputs().get(2).data())[0], StandardCharsets.UTF_8));
        assertNull(request.id());
        String tooBig = assertThrows(V2Exception.class, () -> InferRequestBody.decode(Buffer.buffer("{\"inputs\": [{\"name\":"
                + " \"h\", \"shape\": [1], \"datatype\": \"FP16\", \"data\": [70000]}]}"), null)).getMessage();
        assertEquals("input 'h': element 0 (70000) is out of range for FP16", tooBig);
        String notText = assertThrows(V2Exception.class, () -> InferRequestBody.decode(Buffer.buffer("{\"inputs\": [{\"name\":"
                + " \"s\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [3]}]}"), null)).getMessage();
        assertEquals("input 's': element 0 (3) is not a valid BYTES value", notText);
    }

    @Test
    void aHeaderLengthThatIsNotALengthIs400() {
        Buffer body = Buffer.buffer("{\"inputs\": []}");
        for (String bad : new String[]{"abc", "-5", "", "1.5", "0x10", "+3"}) {
            String message = assertThrows(V2Exception.class, () -> InferRequestBody.decode(body, bad)).getMessage();
            assertEquals("Inference-Header-Content-Length must be a non-negative integer, got '" + bad + "'", message);
        }
        assertEquals("Inference-Header-Content-Length 15 is larger than the body (14 bytes)",
                assertThrows(V2Exception.class, () -> InferRequestBody.decode(body, "15")).getMessage());
        assertEquals("Inference-Header-Content-Length 99999999999999999999 is larger than the body (14 bytes)",
                assertThrows(V2Exception.class, () -> InferRequestBody.decode(body, "99999999999999999999")).getMessage());
        assertEquals("Inference-Header-Content-Length is 0: the body must start with the JSON inference header",
                assertThrows(V2Exception.class, () -> InferRequestBody.decode(body, "0")).getMessage());
        String cut = assertThrows(V2Exception.class, () -> InferRequestBody.decode(body, "9")).getMessage();
        assertTrue(cut.startsWith("malformed JSON in the first 9 bytes (Inference-Header-Content-Length): "), cut);
        assertEquals(0, InferRequestBody.decode(body, " 14 ").inputs().size(), "a header-only body is fine");
    }

    @Test
    void binarySizesMustAddUpToTheDataAfterTheHeader() {
        String json = "{\"inputs\": [{\"name\": \"x\", \"shape\": [2], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 8}}]}";
        assertEquals("the body has 12 bytes of binary data after its JSON header, but the inputs' binary_data_size add up to 8",
                refused(json, floats(1, 2, 3)));
        assertEquals("the body has 4 bytes of binary data after its JSON header, but the inputs' binary_data_size add up to 8",
                refused(json, floats(1)));
        assertEquals("the body has 4 bytes of binary data after its JSON header, but the inputs' binary_data_size add up to 0",
                refused("{\"inputs\": []}", floats(1)));
        assertEquals("input 'x' has parameters.binary_data_size but there is no Inference-Header-Content-Length header"
                        + " to say where the JSON header ends",
                assertThrows(V2Exception.class, () -> InferRequestBody.decode(body(json), null)).getMessage());
        String forgotten = assertThrows(V2Exception.class,
                () -> InferRequestBody.decode(body(json, floats(1, 2)), null)).getMessage();
        assertTrue(forgotten.startsWith("malformed JSON: "), forgotten);
        assertTrue(forgotten.endsWith("(a body with binary tensor data after its JSON needs the"
                + " Inference-Header-Content-Length header)"), forgotten);
    }

    @Test
    void aBinarySizeMustFitTheShape() {
        String json = "{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 3], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 20}}]}";
        assertEquals("input 'x': binary_data_size 20 does not match shape [2,3] of FP32, which takes 24 bytes",
                refused(json, new byte[20]));
        String half = "{\"inputs\": [{\"name\": \"h\", \"shape\": [3], \"datatype\": \"FP16\", \"parameters\": {\"binary_data_size\": 3}}]}";
        assertEquals("input 'h': binary_data_size 3 does not match shape [3] of FP16, which takes 6 bytes",
                refused(half, new byte[3]));
        String bool = "{\"inputs\": [{\"name\": \"b\", \"shape\": [2], \"datatype\": \"BOOL\", \"parameters\": {\"binary_data_size\": 2}}]}";
        assertEquals("input 'b': BOOL element 1 is byte 2; it must be 0 or 1", refused(bool, le(1, 2)));
    }

    @Test
    void malformedBinaryParametersAre400() {
        assertEquals("input 'x': parameters.binary_data_size must be a non-negative integer, got -4", refused(
                "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": -4}}]}"));
        assertEquals("input 'x': parameters.binary_data_size must be a non-negative integer, got 4.0", refused(
                "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 4.0}}]}",
                floats(1)));
        assertEquals("input 'x': parameters.binary_data_size must be a non-negative integer, got \"4\"", refused(
                "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": \"4\"}}]}",
                floats(1)));
        assertEquals("input 'x': parameters must be an object", refused(
                "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"parameters\": 4}]}"));
        assertEquals("input 'x' has both data and parameters.binary_data_size; give one", refused(
                "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1], \"parameters\": {\"binary_data_size\": 4}}]}",
                floats(1)));
        assertEquals("the request: parameters.binary_data_output must be true or false, got yes",
                refused("{\"inputs\": [], \"parameters\": {\"binary_data_output\": \"yes\"}}"));
        assertEquals("output 'y': parameters.binary_data must be true or false, got 1",
                refused("{\"inputs\": [], \"outputs\": [{\"name\": \"y\", \"parameters\": {\"binary_data\": 1}}]}"));
        assertEquals("output 'y': the classification extension is not supported",
                refused("{\"inputs\": [], \"outputs\": [{\"name\": \"y\", \"parameters\": {\"classification\": 3}}]}"));
    }

    @Test
    void bytesLengthPrefixesMustStayInsideTheirSlice() {
        String two = "{\"inputs\": [{\"name\": \"s\", \"shape\": [2], \"datatype\": \"BYTES\", \"parameters\": {\"binary_data_size\": %d}},"
                + " {\"name\": \"f\", \"shape\": [1], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 4}}]}";
        byte[] overrun = Buffer.buffer().appendIntLE(2).appendBytes("ab".getBytes()).appendIntLE(9).appendBytes("c".getBytes()).getBytes();
        assertEquals("input 's': BYTES element 1 says 9 bytes, but only 1 of its 11 bytes of binary data are left",
                refused(String.format(two, overrun.length), overrun, floats(1)));
        byte[] cutPrefix = Buffer.buffer().appendIntLE(2).appendBytes("ab".getBytes()).appendBytes(new byte[]{1, 0}).getBytes();
        assertEquals("input 's': the length of BYTES element 1 runs past the end of its 8 bytes of binary data",
                refused(String.format(two, cutPrefix.length), cutPrefix, floats(1)));
        byte[] leftOver = Buffer.buffer().appendBytes(strings("a", "b")).appendByte((byte) 7).getBytes();
        assertEquals("input 's': 1 bytes of binary data are left over after its 2 BYTES elements",
                refused(String.format(two, leftOver.length), leftOver, floats(1)));
        byte[] huge = Buffer.buffer().appendIntLE(-1).getBytes();
        assertEquals("input 's': 4 bytes of binary data cannot hold 2 BYTES elements, each needs at least its 4-byte length",
                refused(String.format(two, huge.length), huge, floats(1)));
        String many = "{\"inputs\": [{\"name\": \"s\", \"shape\": [1000000000], \"datatype\": \"BYTES\", \"parameters\": {\"binary_data_size\": 4}}]}";
        assertTrue(refused(many, new byte[4]).contains("cannot hold 1000000000 BYTES elements"), "no array of a billion slots is made");
    }
}
