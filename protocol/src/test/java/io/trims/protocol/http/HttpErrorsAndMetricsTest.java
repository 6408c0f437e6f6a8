package io.trims.protocol.http;

import io.micrometer.core.instrument.Counter;
import io.trims.protocol.V2Exception;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.BodyHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpErrorsAndMetricsTest {

    private static Vertx vertx;
    private static HttpServer server;
    private static WebClient client;
    private static Metrics metrics;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        metrics = Metrics.create();
        Counter.builder("trims_test_events_total").tag("outcome", "ok").register(metrics.registry()).increment(3);
        Router router = Router.router(vertx);
        HttpErrors.install(router);
        metrics.mount(router);
        router.get("/explicit").handler(ctx -> HttpErrors.fail(ctx, 409, "version 1 exists"));
        router.get("/v2").handler(ctx -> {
            throw new V2Exception(422, "not a valid ONNX model: junk");
        });
        router.get("/boom").handler(ctx -> {
            throw new IllegalStateException("unexpected");
        });
        router.post("/small").handler(BodyHandler.create().setBodyLimit(16));
        router.post("/small").handler(ctx -> ctx.response().end("got " + ctx.body().length()));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        vertx.close().await(10, TimeUnit.SECONDS);
        metrics.close();
    }

    private static HttpResponse<Buffer> get(String path) throws Exception {
        return client.get(path).send().await(10, TimeUnit.SECONDS);
    }

    private static void assertJsonError(HttpResponse<Buffer> response, int status, String message) {
        assertEquals(status, response.statusCode());
        assertEquals("application/json", response.getHeader("content-type"));
        assertEquals(message, response.bodyAsJsonObject().getString("error"));
    }

    @Test
    void explicitFailureIsJson() throws Exception {
        assertJsonError(get("/explicit"), 409, "version 1 exists");
    }

    @Test
    void v2ExceptionKeepsItsStatus() throws Exception {
        assertJsonError(get("/v2"), 422, "not a valid ONNX model: junk");
    }

    @Test
    void unexpectedThrowableIs500() throws Exception {
        assertJsonError(get("/boom"), 500, "internal error");
    }

    @Test
    void unknownPathIsJson404() throws Exception {
        assertJsonError(get("/nowhere"), 404, "no such resource: /nowhere");
    }

    @Test
    void bodyOverTheLimitIsJson413() throws Exception {
        HttpResponse<Buffer> small = client.post("/small").sendBuffer(Buffer.buffer("tiny")).await(10, TimeUnit.SECONDS);
        assertEquals(200, small.statusCode());
        assertEquals("got 4", small.bodyAsString());
        HttpResponse<Buffer> big = client.post("/small").sendBuffer(Buffer.buffer(new byte[4096])).await(10, TimeUnit.SECONDS);
        assertJsonError(big, 413, "request body is larger than this server accepts");
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        HttpResponse<Buffer> response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.getHeader("content-type").startsWith("text/plain"));
        String text = response.bodyAsString();
        assertTrue(text.contains("trims_test_events_total{outcome=\"ok\"} 3.0"), text);
        assertTrue(text.contains("jvm_memory_used_bytes"), "JVM binders missing");
        assertTrue(text.contains("process_uptime_seconds"), "process binders missing");
    }
}
