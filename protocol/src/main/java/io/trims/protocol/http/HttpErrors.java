package io.trims.protocol.http;

import io.netty.handler.codec.http.HttpResponseStatus;
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
                .end(new JsonObject().put("error", InternalPaths.scrub(message)).encode());
    }

    /** The status and message a failed request is answered with. */
    public record Answer(int status, String message) {
    }

    /**
     * What a failed routing context is answered with: a {@link StatusError} keeps its status and message, an
     * {@link HttpException} or a bare {@code ctx.fail(status)} (as BodyHandler's 413) gets a message for its
     * status, malformed JSON is a 400; server-side faults are logged.
     */
    public static Answer answerFor(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        Answer answer;
        if (failure instanceof StatusError e) {
            answer = new Answer(e.status(), failure.getMessage());
        } else if (failure instanceof HttpException e) {
            answer = new Answer(e.getStatusCode(), e.getPayload() != null ? e.getPayload() : describe(e.getStatusCode()));
        } else if (failure instanceof DecodeException e) {
            answer = new Answer(400, "malformed JSON: " + e.getMessage());
        } else if (failure == null) {
            answer = new Answer(ctx.statusCode() > 0 ? ctx.statusCode() : 500, describe(ctx.statusCode()));
        } else {
            // The failure's text is for the log: it may name classes, files and runtime internals.
            answer = new Answer(500, "internal error");
        }
        if (answer.status() >= 500 && failure instanceof StatusError) {
            // A failure in the domain's words: its message says it all, a stack trace would not say more.
            LOG.warn("{} {} answered {}: {}", ctx.request().method(), ctx.request().path(), answer.status(),
                    failure.getMessage());
        } else if (answer.status() >= 500 && failure != null) {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
        }
        return answer;
    }

    /** Failure handler: answers {@link #answerFor} as JSON. */
    public static void handleFailure(RoutingContext ctx) {
        Answer answer = answerFor(ctx);
        fail(ctx, answer.status(), answer.message());
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
