package io.trims.protocol.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real servers with small timeouts, and raw sockets that stall or trickle: the servers close them, but never under a
 * request in flight. {@code server}: idle 2 s (so a keep-alive bound of 2 s), read 300 ms. {@code idleOff}: idle off,
 * read 1 s (so a keep-alive bound of 1 s): there no idle timeout can close a connection in the keep-alive bound's
 * stead (Vert.x 5's idle timer sits behind the HTTP decoder, so a trickled half head does not restart it either).
 */
class ServerTimeoutsTest {

    private static final String GET = "GET / HTTP/1.1\r\nhost: x\r\n\r\n";
    private static final String OK = "\r\n\r\nok";
    private static final int SLOW_CHUNKS = 6;
    private static final long CHUNK_EVERY_MS = 500;
    private static final long LATE_MS = 2_500;

    private static Vertx vertx;
    private static HttpServer server;
    private static HttpServer idleOff;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = new ServerTimeouts(2, 300).server(vertx, new HttpServerOptions().setHost("127.0.0.1"),
                        ServerTimeoutsTest::answer)
                .listen(0).await(10, TimeUnit.SECONDS);
        idleOff = new ServerTimeouts(0, 1_000).server(vertx, new HttpServerOptions().setHost("127.0.0.1"),
                        ServerTimeoutsTest::answer)
                .listen(0).await(10, TimeUnit.SECONDS);
    }

    /**
     * "/slow": {@value SLOW_CHUNKS} chunks {@value CHUNK_EVERY_MS} ms apart, longer than the keep-alive bound but never
     * silent for the idle timeout; "/late": "ok" after {@value LATE_MS} ms of silence; "/own-handlers": replaces the
     * response's end and close handlers, as Vert.x Web does; else "ok" once the body is in.
     */
    private static void answer(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        switch (request.path()) {
            case "/slow" -> {
                response.setChunked(true).write("tick");
                int[] sent = {1};
                vertx.setPeriodic(CHUNK_EVERY_MS, id -> {
                    if (sent[0]++ < SLOW_CHUNKS) {
                        response.write("tick");
                    } else {
                        vertx.cancelTimer(id);
                        response.end();
                    }
                });
            }
            case "/late" -> vertx.setTimer(LATE_MS, id -> response.end("ok"));
            case "/own-handlers" -> response.endHandler(v -> { }).closeHandler(v -> { }).end("ok");
            default -> request.body().onSuccess(body -> response.end("ok"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close().await(10, TimeUnit.SECONDS);
        idleOff.close().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aHalfSentFirstHeadIsClosedAfterTheReadTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(ascii("POST / HTTP/1.1\r\nhost: x\r\n"));
            assertClosedWithin(socket.getInputStream(), 200, 1_500);
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
            socket.getOutputStream().write(ascii(GET));
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            double ms = (System.nanoTime() - start) / 1e6;
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(ms > 1_000 && ms < 8_000, "closed after " + ms + " ms");
        }
    }

    @Test
    void aTrickledSecondHeadIsClosedWithinTheKeepAliveBound() throws Exception {
        assertClosedAfterTrickle(server, "/", 1_500, 4_000);
    }

    @Test
    void withTheIdleTimeoutOffATrickledSecondHeadIsClosedWithinTheReadTimeout() throws Exception {
        assertClosedAfterTrickle(idleOff, "/", 800, 3_000);
    }

    @Test
    void aReplacedEndHandlerStillBoundsTheNextHeadOneCheckLater() throws Exception {
        assertClosedAfterTrickle(idleOff, "/own-handlers", 800, 4_000);
    }

    @Test
    void aSilentAnswerLongerThanTheBoundIsNotCut() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", idleOff.actualPort())) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            socket.getOutputStream().write(ascii(GET));
            readUntil(in, OK);
            long firstAnswered = System.nanoTime();
            socket.getOutputStream().write(ascii("GET /late HTTP/1.1\r\nhost: x\r\n\r\n"));
            assertTrue(readUntil(in, OK).startsWith("HTTP/1.1 200"));
            double ms = (System.nanoTime() - firstAnswered) / 1e6;
            assertTrue(ms > 2_000, "the late answer came " + ms + " ms after the first, past the 1 s bound");
        }
    }

    @Test
    void aSlowAnswerInFlightIsNotCut() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(ascii(GET));
            readUntil(in, OK);
            long firstAnswered = System.nanoTime();
            Thread.sleep(1_000);
            out.write(ascii("GET /slow HTTP/1.1\r\nhost: x\r\n\r\n"));
            String slow = readUntil(in, "0\r\n\r\n");
            double ms = (System.nanoTime() - firstAnswered) / 1e6;
            assertTrue(slow.startsWith("HTTP/1.1 200"), slow);
            assertEquals(SLOW_CHUNKS, slow.split("tick", -1).length - 1, slow);
            assertTrue(ms > 3_500, "the slow answer ended " + ms + " ms after the first, past the 2 s bound");
            assertClosedWithin(in, 1_500, 4_000);
        }
    }

    @Test
    void twoPipelinedRequestsAreBothAnswered() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(ascii(GET + "POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\nhi"));
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertEquals(2, answers.split("HTTP/1.1 200", -1).length - 1, answers);
            assertTrue(answers.endsWith(OK), answers);
        }
    }

    @Test
    void http2CleartextIsNotSpoken() throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
        try {
            Future<HttpClientResponse> answer = client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
                    .compose(request -> request.send());
            assertThrows(Exception.class, () -> answer.await(10, TimeUnit.SECONDS),
                    "an HTTP/2 prior-knowledge client was answered");
        } finally {
            client.close().await(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Asserts that {@code target} closed between {@code minMs} and {@code maxMs} after its answer to {@code path}
     * while the next head trickled in, 200 ms a byte.
     */
    private static void assertClosedAfterTrickle(HttpServer target, String path, double minMs, double maxMs)
            throws Exception {
        try (Socket socket = new Socket("127.0.0.1", target.actualPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(ascii("GET " + path + " HTTP/1.1\r\nhost: x\r\n\r\n"));
            readUntil(in, OK);
            long answered = System.nanoTime();
            Thread trickle = new Thread(() -> {
                byte[] head = ascii("GET / HTTP/1.1\r\nhost: x\r\nx-slow: " + "a".repeat(200));
                try {
                    for (byte b : head) {
                        out.write(b);
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException stopped) {
                    // the server closed the connection, or the test ended
                }
            });
            trickle.start();
            try {
                assertEquals(-1, in.read());
            } catch (SocketTimeoutException e) {
                throw new AssertionError("still open 10 s after the answer, though its next head never came", e);
            } catch (IOException reset) {
                // closed while bytes were still coming: a reset is a close too
            } finally {
                trickle.interrupt();
                trickle.join(5_000);
            }
            double ms = (System.nanoTime() - answered) / 1e6;
            assertTrue(ms > minMs && ms < maxMs, "closed " + ms + " ms after the answer to " + path);
        }
    }

    /** Asserts that the server closes {@code in} between {@code minMs} and {@code maxMs} from now. */
    private static void assertClosedWithin(InputStream in, double minMs, double maxMs) throws IOException {
        long start = System.nanoTime();
        assertEquals(-1, in.read());
        double ms = (System.nanoTime() - start) / 1e6;
        assertTrue(ms > minMs && ms < maxMs, "closed after " + ms + " ms");
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        while (!read.toString(StandardCharsets.US_ASCII).endsWith(end)) {
            int b = in.read();
            if (b == -1) {
                throw new AssertionError("closed before '" + end.strip() + "': " + read.toString(StandardCharsets.US_ASCII));
            }
            read.write(b);
        }
        return read.toString(StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
