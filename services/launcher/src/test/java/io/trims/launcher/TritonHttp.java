package io.trims.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What tritonclient.http does, written out by hand so the test does not lean on trims' own codec: a request is
 * {@code json.dumps(header)} followed by the inputs' raw bytes, with {@code Inference-Header-Content-Length}; an
 * answer is read by that header's length, each binary output taking {@code binary_data_size} bytes in output order.
 */
final class TritonHttp {

    private TritonHttp() {
    }

    /** A request body: the JSON header as text, then the raw parts. */
    record Body(byte[] bytes, int headerLength) {

        static Body of(String json, byte[]... raw) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] header = json.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(header);
            for (byte[] part : raw) {
                out.writeBytes(part);
            }
            return new Body(out.toByteArray(), header.length);
        }
    }

    /** A parsed answer: the JSON header and, per output, its raw bytes (binary) or null (JSON data). */
    record Answer(JsonObject header, Map<String, byte[]> binary, boolean framed) {

        static Answer of(HttpResponse<byte[]> response) {
            return of(response.body(), response.headers().firstValue("inference-header-content-length").orElse(null));
        }

        /** @param length the answer's Inference-Header-Content-Length; null when it had none */
        static Answer of(byte[] body, String length) {
            if (length == null) {
                return new Answer(new JsonObject(new String(body, StandardCharsets.UTF_8)), Map.of(), false);
            }
            int n = Integer.parseInt(length);
            JsonObject header = new JsonObject(new String(body, 0, n, StandardCharsets.UTF_8));
            Map<String, byte[]> binary = new LinkedHashMap<>();
            int offset = n;
            JsonArray outputs = header.getJsonArray("outputs");
            for (int i = 0; i < outputs.size(); i++) {
                JsonObject output = outputs.getJsonObject(i);
                JsonObject parameters = output.getJsonObject("parameters");
                if (parameters != null && parameters.containsKey("binary_data_size")) {
                    int size = parameters.getInteger("binary_data_size");
                    byte[] raw = new byte[size];
                    System.arraycopy(body, offset, raw, 0, size);
                    binary.put(output.getString("name"), raw);
                    offset += size;
                }
            }
            if (offset != body.length) {
                throw new AssertionError("binary outputs take " + (offset - n) + " bytes, the body has " + (body.length - n));
            }
            return new Answer(header, binary, true);
        }

        JsonObject output(String name) {
            JsonArray outputs = header.getJsonArray("outputs");
            for (int i = 0; i < outputs.size(); i++) {
                if (outputs.getJsonObject(i).getString("name").equals(name)) {
                    return outputs.getJsonObject(i);
                }
            }
            throw new AssertionError("no output " + name + " in " + header.encode());
        }

        /** FP32 output values as their bits, from the binary part or the JSON numbers. */
        int[] floatBits(String name) {
            if (binary.containsKey(name)) {
                ByteBuffer raw = ByteBuffer.wrap(binary.get(name)).order(ByteOrder.LITTLE_ENDIAN);
                int[] bits = new int[raw.remaining() / 4];
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = raw.getInt();
                }
                return bits;
            }
            JsonArray data = output(name).getJsonArray("data");
            int[] bits = new int[data.size()];
            for (int i = 0; i < bits.length; i++) {
                bits[i] = Float.floatToRawIntBits(((Number) data.getValue(i)).floatValue());
            }
            return bits;
        }

        long[] longs(String name) {
            if (binary.containsKey(name)) {
                ByteBuffer raw = ByteBuffer.wrap(binary.get(name)).order(ByteOrder.LITTLE_ENDIAN);
                long[] values = new long[raw.remaining() / 8];
                for (int i = 0; i < values.length; i++) {
                    values[i] = raw.getLong();
                }
                return values;
            }
            JsonArray data = output(name).getJsonArray("data");
            long[] values = new long[data.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = data.getLong(i);
            }
            return values;
        }
    }

    static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    static byte[] shorts(short... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            b.putShort(v);
        }
        return b.array();
    }

    /** BYTES as tritonclient's serialize_byte_tensor writes them: a 4-byte little-endian length before each. */
    static byte[] strings(String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String v : values) {
            byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(utf8.length).array());
            out.writeBytes(utf8);
        }
        return out.toByteArray();
    }

    /** JSON numbers for a float array, as the JSON form of a request carries them. */
    static String json(float[] values) {
        JsonArray array = new JsonArray();
        for (float v : values) {
            array.add(v);
        }
        return array.encode();
    }

    static String json(long[] values) {
        JsonArray array = new JsonArray();
        for (long v : values) {
            array.add(v);
        }
        return array.encode();
    }
}
