package io.trims.protocol.http;

import io.trims.protocol.EnvNumbers;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How long an HTTP server of trims waits on a client. A connection with no traffic either way for
 * {@code idleTimeoutSeconds} is closed (longer than the longest answer may take to come: the forward timeout); a
 * connection whose first request's head has not arrived within {@code readTimeoutMs}, or a request whose body has not
 * all arrived within {@code readTimeoutMs} of its head, is answered 408 (when it still can be) and closed. 0 turns
 * either off.
 *
 * @param idleTimeoutSeconds {@code TRIMS_HTTP_IDLE_TIMEOUT_S}, default 130
 * @param readTimeoutMs      {@code TRIMS_HTTP_READ_TIMEOUT_MS}, default 30000
 */
public record ServerTimeouts(int idleTimeoutSeconds, long readTimeoutMs) {

    public static final int DEFAULT_IDLE_TIMEOUT_S = 130;
    public static final long DEFAULT_READ_TIMEOUT_MS = 30_000;

    public ServerTimeouts {
        if (idleTimeoutSeconds < 0 || readTimeoutMs < 0) {
            throw new IllegalArgumentException("TRIMS_HTTP_IDLE_TIMEOUT_S and TRIMS_HTTP_READ_TIMEOUT_MS must not be "
                    + "negative (0 turns one off)");
        }
    }

    public static ServerTimeouts defaults() {
        return new ServerTimeouts(DEFAULT_IDLE_TIMEOUT_S, DEFAULT_READ_TIMEOUT_MS);
    }

    /** Reads TRIMS_HTTP_IDLE_TIMEOUT_S and TRIMS_HTTP_READ_TIMEOUT_MS. */
    public static ServerTimeouts fromEnv(Map<String, String> env) {
        return new ServerTimeouts((int) EnvNumbers.whole(env, "TRIMS_HTTP_IDLE_TIMEOUT_S", DEFAULT_IDLE_TIMEOUT_S),
                EnvNumbers.whole(env, "TRIMS_HTTP_READ_TIMEOUT_MS", DEFAULT_READ_TIMEOUT_MS));
    }

    /** A server on {@code options} with these timeouts, serving {@code handler}. */
    public HttpServer server(Vertx vertx, HttpServerOptions options, Handler<HttpServerRequest> handler) {
        if (idleTimeoutSeconds > 0) {
            options.setIdleTimeout(idleTimeoutSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS);
        }
        HttpServer server = vertx.createHttpServer(options);
        if (readTimeoutMs == 0) {
            return server.requestHandler(handler);
        }
        // Connections whose first request head has not come yet, with the timer that closes them.
        Map<HttpConnection, Long> awaitingHead = new ConcurrentHashMap<>();
        server.connectionHandler(connection -> {
            long timer = vertx.setTimer(readTimeoutMs, id -> {
                if (awaitingHead.remove(connection) != null) {
                    connection.close();
                }
            });
            awaitingHead.put(connection, timer);
            connection.closeHandler(v -> cancel(vertx, awaitingHead.remove(connection)));
        });
        return server.requestHandler(request -> {
            cancel(vertx, awaitingHead.remove(request.connection()));
            long timer = vertx.setTimer(readTimeoutMs, id -> timedOut(request));
            request.end().onComplete(done -> vertx.cancelTimer(timer));
            handler.handle(request);
        });
    }

    private void timedOut(HttpServerRequest request) {
        if (request.isEnded()) {
            return;
        }
        HttpServerResponse response = request.response();
        if (!response.headWritten() && !response.ended() && !response.closed()) {
            response.setStatusCode(408).putHeader("content-type", "application/json").putHeader("connection", "close")
                    .end(new JsonObject().put("error", "the request body did not arrive within " + readTimeoutMs
                            + " ms (TRIMS_HTTP_READ_TIMEOUT_MS)").encode());
        }
        request.connection().close();
    }

    private static void cancel(Vertx vertx, Long timer) {
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }
}
