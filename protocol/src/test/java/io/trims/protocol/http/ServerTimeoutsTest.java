package io.trims.protocol.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real server with small timeouts, and raw sockets that stall: the server closes them. */
class ServerTimeoutsTest {

    private static Vertx vertx;
    private static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = new ServerTimeouts(2, 300).server(vertx, new HttpServerOptions().setHost("127.0.0.1"),
                        request -> request.body().onSuccess(body -> request.response().end("ok")))
                .listen(0).await(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aHalfSentHeadIsClosedAfterTheReadTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("POST / HTTP/1.1\r\nhost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            assertEquals(-1, socket.getInputStream().read());
            assertTrue((System.nanoTime() - start) / 1e6 < 5_000);
        }
    }

    @Test
    void aStalledBodyIsAnswered408AndClosed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\nabc"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            double ms = (System.nanoTime() - start) / 1e6;
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(ms > 1_000 && ms < 8_000, "closed after " + ms + " ms");
        }
    }
}
