package io.trims.launcher.hostile;

import io.trims.testmodels.TextModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Generators of inference requests to the text model ({@link TextModels#embedder}) that are each wrong in one way,
 * so that every one of them must be refused with a 4xx: wrong types, huge, negative and overflowing shapes, deep
 * nesting, invalid UTF-8, truncated bodies, unreadable content types and binary-extension headers that lie.
 */
final class HostileRequests {

    static final String MODEL = "text";
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    /** One request: what is wrong with it, its headers and its body. */
    record Hostile(String kind, Map<String, String> headers, byte[] body) {
        @Override
        public String toString() {
            String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            return kind + " " + headers + " " + text + (body.length > 300 ? "...(" + body.length + " bytes)" : "");
        }
    }

    private HostileRequests() {
    }

    static Arbitrary<Hostile> any() {
        return Arbitraries.oneOf(wrongDatatype(), wrongShape(), overflowingShape(), emptyShape(), wrongData(),
                tokensOutOfRange(), disagreeingLengths(), wrongStructure(), deepNesting(), invalidUtf8(), truncated(),
                wrongContentType(), lyingHeaderLength(), lyingBinarySize());
    }

    /** A well-formed request: input_ids [[1, 2]], attention_mask [[1, 1]]. */
    static JsonObject valid() {
        return request(ids(new JsonArray().add(1).add(2), 1, 2), mask(1, 2));
    }

    static JsonObject request(JsonObject... inputs) {
        return new JsonObject().put("inputs", new JsonArray(new ArrayList<>(Arrays.asList((Object[]) inputs))));
    }

    static JsonObject ids(JsonArray data, long... shape) {
        return tensor("input_ids", "INT64", shape, data);
    }

    static JsonObject mask(long... shape) {
        JsonArray ones = new JsonArray();
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        for (long i = 0; i < n; i++) {
            ones.add(1);
        }
        return tensor("attention_mask", "INT64", shape, ones);
    }

    static JsonObject tensor(String name, String datatype, long[] shape, JsonArray data) {
        JsonArray dims = new JsonArray();
        Arrays.stream(shape).forEach(dims::add);
        return new JsonObject().put("name", name).put("datatype", datatype).put("shape", dims).put("data", data);
    }

    private static Hostile json(String kind, JsonObject body) {
        return new Hostile(kind, Map.of("content-type", "application/json"), body.encode().getBytes(StandardCharsets.UTF_8));
    }

    private static Arbitrary<Hostile> wrongDatatype() {
        return Arbitraries.oneOf(Arbitraries.of("FP32", "INT32", "BOOL", "BYTES", "FP16", "UINT8", "int", "TYPE_INT64", ""),
                        Arbitraries.strings().ofMaxLength(12))
                .filter(t -> !t.equalsIgnoreCase("INT64"))
                .map(t -> json("datatype " + t, request(tensor("input_ids", t, new long[]{1, 2},
                        new JsonArray().add(1).add(2)), mask(1, 2))));
    }

    /** Shapes with a negative, fractional or non-numeric dimension, or a count other than the two values given. */
    private static Arbitrary<Hostile> wrongShape() {
        Arbitrary<Object> dim = Arbitraries.oneOf(Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.longs().between(-5, 5).map(l -> (Object) l), Arbitraries.of(-1.5, 0.5, "2", true),
                Arbitraries.just(null));
        return dim.list().ofMaxSize(6).filter(dims -> !holdsTwo(dims)).map(dims -> {
            JsonObject ids = new JsonObject().put("name", "input_ids").put("datatype", "INT64")
                    .put("shape", new JsonArray(dims)).put("data", new JsonArray().add(1).add(2));
            return json("shape " + dims, request(ids, mask(1, 2)));
        });
    }

    private static boolean holdsTwo(List<Object> dims) {
        long n = 1;
        for (Object d : dims) {
            if (!(d instanceof Long l) || l < 0) {
                return false;
            }
            n *= l;
        }
        return n == 2;
    }

    /** Dimensions whose product, or product × element size, overflows a long or any buffer. */
    private static Arbitrary<Hostile> overflowingShape() {
        return Combinators.combine(Arbitraries.longs().between(1L << 20, Long.MAX_VALUE).list().ofMinSize(2).ofMaxSize(4),
                        Arbitraries.of("INT64", "FP32", "FP64", "BYTES"))
                .as((dims, type) -> {
                    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
                    return json("overflow " + dims + " " + type,
                            request(tensor("input_ids", type, shape, new JsonArray().add(1)), mask(1, 1)));
                });
    }

    /** [0, 2^k] and [2^k, 0]: no elements, so no data to contradict the shape. */
    private static Arbitrary<Hostile> emptyShape() {
        return Combinators.combine(Arbitraries.integers().between(0, 62), Arbitraries.of(true, false)).as((k, first) -> {
            long[] shape = first ? new long[]{0, 1L << k} : new long[]{1L << k, 0};
            return json("empty " + Arrays.toString(shape), request(ids(new JsonArray(), shape), mask(1, 1)));
        });
    }

    /** Two elements of which the first is not an integer. */
    private static Arbitrary<Hostile> wrongData() {
        Arbitrary<Object> notInteger = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8).map(s -> (Object) s),
                Arbitraries.of(0.5, -1e300, true, false), Arbitraries.just(new JsonObject().put("a", 1)),
                Arbitraries.just(null), Arbitraries.just("9223372036854775808"));
        return notInteger.map(v -> json("data " + v, request(ids(new JsonArray().add(v).add(1), 1, 2), mask(1, 2))));
    }

    /** Token ids outside the embedding table: past its end, or negative (which ONNX Runtime counts from the end). */
    private static Arbitrary<Hostile> tokensOutOfRange() {
        return Arbitraries.oneOf(Arbitraries.longs().between(TextModels.VOCABULARY, Long.MAX_VALUE),
                        Arbitraries.longs().between(Long.MIN_VALUE, -1))
                .map(id -> json("token " + id, request(ids(new JsonArray().add(1).add(id), 1, 2), mask(1, 2))));
    }

    private static Arbitrary<Hostile> disagreeingLengths() {
        return Combinators.combine(Arbitraries.integers().between(2, 64), Arbitraries.integers().between(2, 64))
                .filter((a, b) -> !a.equals(b))
                .as((a, b) -> {
                    JsonArray data = new JsonArray();
                    for (int i = 0; i < a; i++) {
                        data.add(i % TextModels.VOCABULARY);
                    }
                    return json("lengths " + a + "/" + b, request(ids(data, 1, a), mask(1, b)));
                });
    }

    /** A body whose parts have the wrong JSON kinds, or names the model does not have. */
    private static Arbitrary<Hostile> wrongStructure() {
        Arbitrary<Object> junk = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(6).map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i), Arbitraries.of(true, 1.5), Arbitraries.just(new JsonObject()),
                Arbitraries.just(new JsonArray().add(1)));
        return Combinators.combine(Arbitraries.of("inputs", "id", "outputs", "parameters", "name", "input_name",
                        "missing_input", "extra_input"), junk)
                .as((field, value) -> {
                    JsonObject body = valid();
                    switch (field) {
                        case "id" -> body.put("id", value instanceof String ? 7 : value);
                        case "inputs", "outputs", "parameters" -> {
                            if (field.equals("outputs") && value instanceof JsonArray) {
                                value = new JsonArray().add(new JsonObject().put("name", "no_such_output"));
                            }
                            body.put(field, value);
                        }
                        case "name" -> body.getJsonArray("inputs").getJsonObject(0).put("name", value);
                        case "input_name" -> body.getJsonArray("inputs").getJsonObject(0).put("name", "x" + value);
                        case "missing_input" -> body.getJsonArray("inputs").remove(1);
                        default -> body.getJsonArray("inputs").add(tensor("extra" + value, "INT64", new long[]{1},
                                new JsonArray().add(1)));
                    }
                    return json("structure " + field, body);
                })
                .filter(h -> !h.kind().equals("structure parameters") || !new String(h.body(), StandardCharsets.UTF_8)
                        .contains("\"parameters\":{}"));
    }

    /** Data nested far deeper than the shape says, up to past the JSON parser's limits. */
    private static Arbitrary<Hostile> deepNesting() {
        return Arbitraries.integers().between(3, 20_000).map(depth -> {
            String data = "[".repeat(depth) + "1" + "]".repeat(depth);
            String body = "{\"inputs\":[{\"name\":\"input_ids\",\"datatype\":\"INT64\",\"shape\":[1,2],\"data\":" + data
                    + "}," + mask(1, 2).encode() + "]}";
            return new Hostile("nesting " + depth, Map.of("content-type", "application/json"),
                    body.getBytes(StandardCharsets.UTF_8));
        });
    }

    private static Arbitrary<Hostile> invalidUtf8() {
        byte[] base = valid().encode().getBytes(StandardCharsets.UTF_8);
        return Combinators.combine(Arbitraries.integers().between(1, base.length - 2),
                        Arbitraries.bytes().between((byte) 0x80, (byte) 0xFF).list().ofMinSize(1).ofMaxSize(4))
                .as((at, junk) -> {
                    byte[] body = base.clone();
                    for (int i = 0; i < junk.size() && at + i < body.length; i++) {
                        body[at + i] = junk.get(i);
                    }
                    return new Hostile("utf-8 at " + at, Map.of("content-type", "application/json"), body);
                });
    }

    private static Arbitrary<Hostile> truncated() {
        byte[] base = valid().encode().getBytes(StandardCharsets.UTF_8);
        return Combinators.combine(Arbitraries.integers().between(0, base.length - 1),
                        Arbitraries.of("application/json", "application/x-www-form-urlencoded"))
                .as((length, type) -> new Hostile("truncated to " + length, Map.of("content-type", type),
                        Arrays.copyOf(base, length)));
    }

    /** Types no inference body is read from: every one must be a 415 naming the accepted types. */
    private static Arbitrary<Hostile> wrongContentType() {
        return Combinators.combine(Arbitraries.of("multipart/form-data; boundary=xyz", "multipart/mixed; boundary=b",
                        "MULTIPART/FORM-DATA", "text/plain", "application/xml", "image/png", "text/html; charset=utf-8"),
                        Arbitraries.of(true, false), Arbitraries.bytes().array(byte[].class).ofMaxSize(200))
                .as((type, validBody, junk) -> new Hostile("content-type " + type, Map.of("content-type", type),
                        validBody ? valid().encode().getBytes(StandardCharsets.UTF_8) : multipart(junk)));
    }

    private static byte[] multipart(byte[] junk) {
        byte[] head = "--xyz\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOf(head, head.length + junk.length);
        System.arraycopy(junk, 0, body, head.length, junk.length);
        return body;
    }

    /** An {@value #HEADER_LENGTH} that is not a number, negative, or more than the body holds. */
    private static Arbitrary<Hostile> lyingHeaderLength() {
        return Combinators.combine(Arbitraries.oneOf(Arbitraries.of("-1", "abc", "", "1e3", "99999999999999999999"),
                                Arbitraries.integers().between(1000, Integer.MAX_VALUE).map(String::valueOf),
                                Arbitraries.integers().between(1, 10).map(String::valueOf)),
                        Arbitraries.of("application/octet-stream", "application/json", "application/x-www-form-urlencoded"))
                .as((length, type) -> new Hostile("header length " + length,
                        Map.of("content-type", type, HEADER_LENGTH, length),
                        valid().encode().getBytes(StandardCharsets.UTF_8)));
    }

    /** A binary_data_size that disagrees with the shape or with the bytes that follow the header. */
    private static Arbitrary<Hostile> lyingBinarySize() {
        return Combinators.combine(Arbitraries.longs().between(-5, Long.MAX_VALUE), Arbitraries.integers().between(0, 40))
                .filter((claimed, sent) -> claimed != 16 || sent != 16)
                .as((claimed, sent) -> {
                    JsonObject ids = new JsonObject().put("name", "input_ids").put("datatype", "INT64")
                            .put("shape", new JsonArray().add(1).add(2))
                            .put("parameters", new JsonObject().put("binary_data_size", claimed));
                    byte[] header = request(ids, mask(1, 2)).encode().getBytes(StandardCharsets.UTF_8);
                    byte[] body = Arrays.copyOf(header, header.length + sent);
                    return new Hostile("binary size " + claimed + "/" + sent,
                            Map.of("content-type", "application/octet-stream", HEADER_LENGTH, String.valueOf(header.length)),
                            body);
                });
    }
}
