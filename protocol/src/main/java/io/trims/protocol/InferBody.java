package io.trims.protocol;

import io.netty.buffer.Unpooled;
import io.trims.protocol.tensor.Tensor;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The HTTP body framing of the v2 binary tensor data extension (KServe / Triton {@code binary_tensor_data}): the
 * first {@value #HEADER_LENGTH}-header bytes of the body are the JSON inference header; after them comes the raw
 * data of every tensor whose JSON entry has {@code parameters.binary_data_size}, in the order of the entries, each
 * exactly that many bytes ({@link BinaryTensors} is the layout of one tensor). Without the header the whole body
 * is JSON. Request and response bodies are framed alike.
 *
 * <p>{@link #split} and {@link Framed#parts} take a body apart without copying tensor data; {@link #frame} puts
 * one together from a JSON header and raw parts (e.g. a gRPC request's {@code raw_input_contents}).
 */
public final class InferBody {

    /** The request and response header giving the JSON header's length in bytes (names are case-insensitive). */
    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    public static final String JSON = "application/json";
    public static final String OCTET_STREAM = "application/octet-stream";
    /** The parameter of a tensor entry that says its data follows the JSON header, and how many bytes it has. */
    public static final String BINARY_DATA_SIZE = "binary_data_size";

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private InferBody() {
    }

    /**
     * A body taken apart.
     *
     * @param binary the bytes after the JSON header (a slice of the body, not a copy); empty when not framed
     * @param framed whether the body came with {@value #HEADER_LENGTH}
     */
    public record Framed(JsonObject header, Buffer binary, boolean framed) {

        /**
         * The binary data of each of {@code entries} (a request's {@code inputs}, a response's {@code outputs}),
         * as slices of {@link #binary()} in entry order; null for an entry carried as JSON. A 400 when a
         * {@code binary_data_size} is not a non-negative integer, comes without the header, or the sizes do not
         * add up to exactly the binary data.
         *
         * @param kind {@code "input"} or {@code "output"}, as messages name the entries
         */
        public List<Buffer> parts(JsonArray entries, String kind) {
            long[] sizes = new long[entries.size()];
            long total = 0;
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = entries.getValue(i) instanceof JsonObject entry ? binaryDataSize(entry, kind, i) : -1;
                if (sizes[i] >= 0) {
                    if (!framed) {
                        throw V2Exception.badRequest(where(entries, kind, i) + " has parameters." + BINARY_DATA_SIZE
                                + " but there is no " + HEADER_LENGTH + " header to say where the JSON header ends");
                    }
                    total = total + sizes[i] < 0 ? Long.MAX_VALUE : total + sizes[i];
                }
            }
            if (total != binary.length()) {
                throw V2Exception.badRequest("the body has " + binary.length() + " bytes of binary data after its"
                        + " JSON header, but the " + kind + "s' " + BINARY_DATA_SIZE + " add up to " + total);
            }
            List<Buffer> parts = new ArrayList<>(sizes.length);
            int offset = 0;
            for (long size : sizes) {
                if (size < 0) {
                    parts.add(null);
                } else {
                    parts.add(binary.slice(offset, offset + (int) size));
                    offset += (int) size;
                }
            }
            return Collections.unmodifiableList(parts);
        }
    }

    /**
     * Splits a body by its {@value #HEADER_LENGTH} value ({@code null}: the header was not sent, all is JSON).
     * A 400 for a value that is not a non-negative integer or is larger than the body, and for JSON that is not an
     * object.
     */
    public static Framed split(Buffer body, String headerLength) {
        Buffer all = body == null ? Buffer.buffer() : body;
        if (headerLength == null) {
            try {
                return new Framed(parseObject(all, "malformed JSON: "), Buffer.buffer(), false);
            } catch (V2Exception e) {
                throw mentionsBinaryData(all) ? V2Exception.badRequest(e.getMessage() + " (a body with binary tensor"
                        + " data after its JSON needs the " + HEADER_LENGTH + " header)") : e;
            }
        }
        String value = headerLength.trim();
        if (!DIGITS.matcher(value).matches()) {
            throw V2Exception.badRequest(HEADER_LENGTH + " must be a non-negative integer, got '" + headerLength + "'");
        }
        long length = value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
        if (length > all.length()) {
            throw V2Exception.badRequest(HEADER_LENGTH + " " + value + " is larger than the body (" + all.length()
                    + " bytes)");
        }
        int n = (int) length;
        if (n == 0) {
            throw V2Exception.badRequest(HEADER_LENGTH + " is 0: the body must start with the JSON inference header");
        }
        JsonObject header = parseObject(all.slice(0, n),
                "malformed JSON in the first " + n + " bytes (" + HEADER_LENGTH + "): ");
        return new Framed(header, all.slice(n, all.length()), true);
    }

    /**
     * A body ready to send.
     *
     * @param headerLength the JSON header's length, the value of {@value #HEADER_LENGTH}; -1 for a body that is
     *                     all JSON and goes without that header
     */
    public record Encoded(Buffer body, int headerLength) {

        public boolean binary() {
            return headerLength >= 0;
        }

        public String contentType() {
            return binary() ? OCTET_STREAM : JSON;
        }

        /** Puts content-type and, for a binary body, {@value #HEADER_LENGTH} on a request's or response's headers. */
        public MultiMap putHeaders(MultiMap headers) {
            headers.set("content-type", contentType());
            if (binary()) {
                headers.set(HEADER_LENGTH, Integer.toString(headerLength));
            } else {
                headers.remove(HEADER_LENGTH);
            }
            return headers;
        }
    }

    /** A body that is all JSON. */
    public static Encoded json(JsonObject body) {
        return new Encoded(body.toBuffer(), -1);
    }

    /**
     * The JSON header followed by {@code parts}, framed with {@value #HEADER_LENGTH}; the header's entries must
     * carry the parts' {@code binary_data_size}, in this order.
     */
    public static Encoded frame(JsonObject header, List<Buffer> parts) {
        byte[] json = header.toBuffer().getBytes();
        long total = json.length;
        for (Buffer part : parts) {
            total += part.length();
        }
        byte[] body = new byte[checkedSize(total)];
        System.arraycopy(json, 0, body, 0, json.length);
        int offset = json.length;
        for (Buffer part : parts) {
            part.getBytes(0, part.length(), body, offset);
            offset += part.length();
        }
        return new Encoded(wrap(body), json.length);
    }

    /** Like {@link #frame(JsonObject, List)}, writing each tensor's binary form straight into the body. */
    static Encoded frameTensors(JsonObject header, List<Tensor> tensors) {
        byte[] json = header.toBuffer().getBytes();
        long total = json.length;
        for (Tensor t : tensors) {
            total += BinaryTensors.byteSize(t);
        }
        byte[] body = new byte[checkedSize(total)];
        ByteBuffer out = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).put(json);
        for (Tensor t : tensors) {
            BinaryTensors.write(t, out);
        }
        return new Encoded(wrap(body), json.length);
    }

    /** An entry's {@code parameters.binary_data_size}; -1 when it has none. */
    static long binaryDataSize(JsonObject entry, String kind, int index) {
        Object parameters = entry.getValue("parameters");
        if (parameters == null) {
            return -1;
        }
        if (!(parameters instanceof JsonObject map)) {
            throw V2Exception.badRequest(where(entry, kind, index) + ": parameters must be an object");
        }
        Object size = map.getValue(BINARY_DATA_SIZE);
        if (size == null) {
            return -1;
        }
        if (!(size instanceof Integer || size instanceof Long) || ((Number) size).longValue() < 0) {
            throw V2Exception.badRequest(where(entry, kind, index) + ": parameters." + BINARY_DATA_SIZE
                    + " must be a non-negative integer, got " + (size instanceof String text ? '"' + text + '"' : size));
        }
        return ((Number) size).longValue();
    }

    /** Whether the start of a body that is not JSON names binary_data_size: then the header was likely forgotten. */
    private static boolean mentionsBinaryData(Buffer body) {
        String start = body.getString(0, Math.min(body.length(), 64 * 1024), "ISO-8859-1");
        return start.contains(BINARY_DATA_SIZE);
    }

    private static String where(JsonArray entries, String kind, int index) {
        return where(entries.getJsonObject(index), kind, index);
    }

    private static String where(JsonObject entry, String kind, int index) {
        return entry.getValue("name") instanceof String name ? kind + " '" + name + "'" : kind + "s[" + index + "]";
    }

    private static int checkedSize(long total) {
        if (total > Integer.MAX_VALUE - 8) {
            throw new V2Exception(500, "the answer would take " + total + " bytes, more than one HTTP body can hold");
        }
        return (int) total;
    }

    private static Buffer wrap(byte[] body) {
        // Wrapped, not copied: Buffer.buffer(byte[]) would copy the whole body once more.
        return BufferInternal.buffer(Unpooled.wrappedBuffer(body));
    }

    private static JsonObject parseObject(Buffer json, String malformed) {
        if (json.length() == 0) {
            throw V2Exception.badRequest(malformed + "empty body");
        }
        Object value;
        try {
            value = json.toJsonValue();
        } catch (DecodeException e) {
            throw V2Exception.badRequest(malformed + firstLine(e.getMessage()));
        }
        if (!(value instanceof JsonObject object)) {
            throw V2Exception.badRequest(malformed + "the body must be an object");
        }
        return object;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable body";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
