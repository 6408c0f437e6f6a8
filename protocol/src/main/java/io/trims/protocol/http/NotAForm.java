package io.trims.protocol.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.Locale;

/**
 * Wraps the BodyHandler of inference routes, whose body is JSON or framed by the binary tensor data extension,
 * never a form. A request labelled application/x-www-form-urlencoded (what {@code curl -d} and
 * {@code curl --data-binary} send unless told otherwise) is taken as it came: relabelled application/octet-stream
 * so that BodyHandler keeps the bytes instead of decoding them as form fields (which fails, as a 500, on binary
 * data). A multipart body, or one of another type, is answered 415 before it is read. A wrapper, not a handler of
 * its own: Vert.x wants a route's body handler first.
 */
public final class NotAForm {

    /** What a 415 tells the client it may send. */
    public static final String ACCEPTED = "accepted content types: application/json (or none), "
            + "application/x-www-form-urlencoded holding JSON (as curl -d sends), application/octet-stream, "
            + "or any type but multipart/* with the binary tensor data extension (Inference-Header-Content-Length)";

    private static final String HEADER_LENGTH = "inference-header-content-length";

    private NotAForm() {
    }

    /** {@code body} (a BodyHandler) run on the request relabelled where it claims to be a form; 415 if unreadable. */
    public static Handler<RoutingContext> then(BodyHandler body) {
        return ctx -> {
            String refused = refusal(ctx.request().headers());
            if (refused != null) {
                ctx.fail(new StatusException(415, "content type '" + refused + "' is not supported; " + ACCEPTED));
                return;
            }
            relabel(ctx.request().headers());
            body.handle(ctx);
        };
    }

    /** The content type when it is one no inference body is read from, null when the body can be read. */
    static String refusal(MultiMap headers) {
        String type = headers.get("content-type");
        if (type == null || type.isBlank()) {
            return null;
        }
        String media = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (media.startsWith("multipart/")) {
            return media;
        }
        if (headers.contains(HEADER_LENGTH)) {
            return null;
        }
        boolean json = media.equals("application/json") || media.endsWith("+json");
        boolean readable = json || media.equals("application/x-www-form-urlencoded")
                || media.equals("application/octet-stream");
        return readable ? null : media;
    }

    private static void relabel(MultiMap headers) {
        String type = headers.get("content-type");
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            headers.set("content-type", "application/octet-stream");
        }
    }
}
