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
 * How long an HTTP server of trims waits on a client. Its servers speak HTTP/1.1, as Triton's and KServe's REST
 * endpoints do (gRPC has a port of its own): h2c is off, so Vert.x hands a connection over as it opens and the first
 * head can be bounded. Per connection:
 * <ul>
 * <li>idle: a connection on which nothing passes either way for {@code idleTimeoutSeconds} is closed (keep it longer
 * than the longest answer may take: the forward timeout). Vert.x 5's idle timer sits behind the HTTP decoder, so the
 * bytes of a half-sent head do not count as passing;</li>
 * <li>first head: a connection whose first request's head has not arrived within {@code readTimeoutMs} of its
 * opening is closed;</li>
 * <li>body: a request whose body has not all arrived within {@code readTimeoutMs} of its head is answered 408 (when it
 * still can be) and its connection closed;</li>
 * <li>keep-alive (nginx's keepalive_timeout): once a connection has no request in flight (every request on it has had
 * its response ended, or its stream closed or reset), the head of its next request must arrive within
 * {@link #keepAliveMs()} (the idle timeout when on, else the read timeout) of the end of the last answer, else the
 * connection is closed. Bytes trickling in do not restart it, so a half-sent head cannot hold a connection, the idle
 * timeout on or off. A request in flight is never cut by it, however long its answer takes; with pipelining there can
 * be several in flight. Where the application replaces a response's end and close handlers
 * (this class sets them as the request comes), the end is seen by a check at most one bound later and the bound
 * counts from that check.</li>
 * </ul>
 * 0 turns a timeout off: a read timeout of 0 leaves first heads and bodies unbounded (the keep-alive bound is then the
 * idle timeout); both 0 leave connections unbounded. The server's connection close handlers are this class's.
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
        HttpServer server = vertx.createHttpServer(options.setHttp2ClearTextEnabled(false));
        if (keepAliveMs() == 0) {
            return server.requestHandler(handler);
        }
        Map<HttpConnection, ConnectionWatch> watches = new ConcurrentHashMap<>();
        server.connectionHandler(connection -> {
            watches.put(connection, new ConnectionWatch(vertx, connection, keepAliveMs(), readTimeoutMs));
            connection.closeHandler(v -> {
                ConnectionWatch gone = watches.remove(connection);
                if (gone != null) {
                    gone.closed();
                }
            });
        });
        return server.requestHandler(request -> {
            ConnectionWatch watch = watches.get(request.connection());
            if (watch != null) {
                watch.requestArrived(request.response());
            }
            if (readTimeoutMs > 0) {
                long timer = vertx.setTimer(readTimeoutMs, id -> timedOut(request));
                request.end().onComplete(done -> vertx.cancelTimer(timer));
            }
            handler.handle(request);
        });
    }

    /**
     * How long a connection with no request in flight waits for the head of its next one: the idle timeout when on,
     * else the read timeout; 0 when both are off.
     */
    public long keepAliveMs() {
        return idleTimeoutSeconds > 0 ? TimeUnit.SECONDS.toMillis(idleTimeoutSeconds) : readTimeoutMs;
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
}
