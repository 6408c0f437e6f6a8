package io.trims.protocol.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.Locale;

/**
 * Wraps the BodyHandler of routes whose body is never a form (inference bodies, JSON or binary): a request
 * labelled as a form, as {@code curl --data-binary} labels it unless told otherwise, is relabelled
 * application/octet-stream, so that BodyHandler keeps the bytes as they came instead of decoding them as form
 * fields (which fails, as a 500, on binary data). A wrapper, not a handler of its own: Vert.x wants a route's
 * body handler first.
 */
public final class NotAForm {

    private NotAForm() {
    }

    /** {@code body} (a BodyHandler) run on the request relabelled where it claims to be a form. */
    public static Handler<RoutingContext> then(BodyHandler body) {
        return ctx -> {
            relabel(ctx.request().headers());
            body.handle(ctx);
        };
    }

    private static void relabel(MultiMap headers) {
        String type = headers.get("content-type");
        if (type != null) {
            String lower = type.toLowerCase(Locale.ROOT);
            if (lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/form-data")) {
                headers.set("content-type", "application/octet-stream");
            }
        }
    }
}
