package io.trims.agent.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.trims.agent.v2.V2Exception;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error a trims HTTP API answers is {@code {"error": "..."}} with a fitting status; this class writes them. */
public final class HttpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {
    }

    /** Ends the response with {@code status} and {@code {"error": message}}. */
    public static void fail(RoutingContext ctx, int status, String message) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            // Too late for a status line: cut the response so the client sees it is incomplete.
            response.reset();
            return;
        }
        response.setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }

    /**
     * Failure handler: a {@link V2Exception} keeps its status and message, an {@link HttpException} or a bare
     * {@code ctx.fail(status)} (as BodyHandler's 413) gets a message for its status, malformed JSON is a 400,
     * anything else is a logged 500.
     */
    public static void handleFailure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof V2Exception e) {
            fail(ctx, e.status(), e.getMessage());
        } else if (failure instanceof HttpException e) {
            fail(ctx, e.getStatusCode(), e.getPayload() != null ? e.getPayload() : describe(e.getStatusCode()));
        } else if (failure instanceof DecodeException e) {
            fail(ctx, 400, "malformed JSON: " + e.getMessage());
        } else if (failure == null) {
            fail(ctx, ctx.statusCode() > 0 ? ctx.statusCode() : 500, describe(ctx.statusCode()));
        } else {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
            fail(ctx, 500, "internal error: " + failure);
        }
    }

    /** Installs {@link #handleFailure} on every route, and JSON answers for unmatched paths and methods. */
    public static void install(Router router) {
        router.route().failureHandler(HttpErrors::handleFailure);
        router.errorHandler(404, ctx -> fail(ctx, 404, "no such resource: " + ctx.request().path()));
        router.errorHandler(405, ctx -> fail(ctx, 405, ctx.request().method() + " is not allowed on "
                + ctx.request().path()));
    }

    private static String describe(int status) {
        if (status == 413) {
            return "request body is larger than this server accepts";
        }
        return status > 0 ? HttpResponseStatus.valueOf(status).reasonPhrase() : "internal error";
    }
}
