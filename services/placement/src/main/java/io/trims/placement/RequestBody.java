package io.trims.placement;

import io.trims.protocol.V2Exception;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The small optional JSON bodies of the repository endpoints ({@code {"ready": true}}, {@code {"parameters": {...}}})
 * and the error bodies agents answer with. An absent or empty body is an empty object; anything but an object is a 400.
 */
final class RequestBody {

    private static final int MAX_ERROR_CHARS = 500;

    private RequestBody() {
    }

    static JsonObject object(Buffer body) {
        if (body == null || body.toString().isBlank()) {
            return new JsonObject();
        }
        Object value;
        try {
            value = body.toJsonValue();
        } catch (DecodeException e) {
            throw V2Exception.badRequest("malformed JSON body: " + firstLine(e.getMessage()));
        }
        if (!(value instanceof JsonObject json)) {
            throw V2Exception.badRequest("the body must be a JSON object");
        }
        return json;
    }

    /** The body's {@code parameters} object, empty when there is none. */
    static JsonObject parameters(Buffer body) {
        Object parameters = object(body).getValue("parameters");
        if (parameters == null) {
            return new JsonObject();
        }
        if (!(parameters instanceof JsonObject json)) {
            throw V2Exception.badRequest("parameters must be an object");
        }
        return json;
    }

    /** The {@code version} parameter (a string or an integer), or null for the newest version. */
    static String version(JsonObject parameters) {
        Object version = parameters.getValue("version");
        if (version == null) {
            return null;
        }
        if (version instanceof String text && !text.isBlank()) {
            return text;
        }
        if (version instanceof Integer || version instanceof Long) {
            return version.toString();
        }
        throw V2Exception.badRequest("parameter 'version' must be a version name or number, got " + version);
    }

    /** What an agent's error body says: its {@code error} field, else the text itself, shortened. */
    static String error(Buffer body) {
        if (body == null || body.length() == 0) {
            return "no message";
        }
        try {
            if (body.toJsonValue() instanceof JsonObject json && json.getValue("error") instanceof String error) {
                return error;
            }
        } catch (DecodeException e) {
            // Not JSON: the text itself says what went wrong.
        }
        String text = body.toString();
        return text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) + "..." : text;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
