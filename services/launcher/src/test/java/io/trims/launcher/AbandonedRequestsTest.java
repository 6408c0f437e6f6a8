package io.trims.launcher;

import io.trims.testmodels.OnnxModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cancellation end to end: 100 clients send heavy requests to the front door of a real embedded cluster and leave.
 * The front door cuts its forwards, the agent drops what it had not run, and the next small request is served in
 * about one heavy run, not after the hundred.
 */
class AbandonedRequestsTest {

    private static final int WIDTH = 256;
    private static final int HEAVY = 128;

    @TempDir
    static Path data;
    private static EmbeddedCluster cluster;
    private static ClusterCalls calls;
    private static String agentUrl;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestClusters.start(data, Map.of("TRIMS_AGENTS", "1"));
        calls = new ClusterCalls(cluster.url(), cluster.adminKey());
        agentUrl = cluster.agents().get(0).endpoint();
        HttpResponse<String> upload = calls.send(HttpRequest.newBuilder(
                        URI.create(cluster.url() + "/v1/models/deep/versions/1"))
                .header("content-type", "application/octet-stream")
                .header("authorization", "Bearer " + cluster.adminKey())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(OnnxModels.deepMatMul(WIDTH, 128))));
        assertEquals(201, upload.statusCode(), upload.body());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void abandonedRequestsAreWithdrawnAndTheNextSmallOneIsServedAtOnce() throws Exception {
        assertEquals(200, calls.post("deep", body(HEAVY)).statusCode(), "the cold run");
        long heavyStart = System.nanoTime();
        HttpResponse<String> heavy = calls.post("deep", body(HEAVY));
        double heavyMs = (System.nanoTime() - heavyStart) / 1e6;
        assertEquals(200, heavy.statusCode(), heavy.body());
        double runsBefore = agent("trims_inference_duration_seconds_count");
        double goneBefore = agent("trims_requests_rejected_total", "client_gone");

        byte[] raw = raw(body(HEAVY));
        int port = URI.create(cluster.url()).getPort();
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                OutputStream out = socket.getOutputStream();
                out.write(raw);
                out.flush();
                clients.add(socket);
            }
            // At least a first few forwards reach the agent before the clients leave.
            eventually(30_000, "the agent holds forwarded requests", () -> agent("trims_queue_requests") >= 4);
        } finally {
            for (Socket socket : clients) {
                socket.close();
            }
        }
        long left = System.nanoTime();
        double ranBeforeClose = agent("trims_inference_duration_seconds_count") - runsBefore;
        HttpResponse<String> small = calls.post("deep", body(1));
        double smallMs = (System.nanoTime() - left) / 1e6;
        assertEquals(200, small.statusCode(), small.body());
        double ranAfterClose = agent("trims_inference_duration_seconds_count") - runsBefore - ranBeforeClose - 1;
        System.out.printf("100 abandoned requests of %.1f ms each through the front door: %.0f ran before their "
                + "clients left, %.0f after; the next small one took %.1f ms%n", heavyMs, ranBeforeClose,
                ranAfterClose, smallMs);
        // The cuts take a moment to reach the agent, during which its workers go on: a few run, not the hundred.
        assertTrue(ranAfterClose <= 25, ranAfterClose + " abandoned requests ran after their clients left");
        assertTrue(smallMs < 10 * heavyMs + 1_000, "the small request took " + smallMs + " ms; one heavy request "
                + heavyMs + " ms");
        eventually(10_000, "the agent counts most of the hundred as withdrawn unrun",
                () -> agent("trims_requests_rejected_total", "client_gone") - goneBefore >= 50);
        eventually(10_000, "the agent gives their places back", () -> agent("trims_queue_requests") == 0);
        double cancelled = calls.scrape(cluster.url()).sum("trims_placement_cancelled_total", labels -> true);
        assertTrue(cancelled >= 1, "the front door counted " + cancelled + " cut forwards");
    }

    /** {@code rows} rows of ones for X [rows, WIDTH]. */
    private static String body(int rows) {
        String values = "1.0,".repeat(rows * WIDTH);
        return "{\"inputs\":[{\"name\":\"X\",\"datatype\":\"FP32\",\"shape\":[" + rows + "," + WIDTH + "],\"data\":["
                + values.substring(0, values.length() - 1) + "]}]}";
    }

    private static byte[] raw(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /v2/models/deep/infer HTTP/1.1\r\nhost: trims\r\ncontent-type: application/json\r\n"
                + "content-length: " + bytes.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] raw = new byte[headBytes.length + bytes.length];
        System.arraycopy(headBytes, 0, raw, 0, headBytes.length);
        System.arraycopy(bytes, 0, raw, headBytes.length, bytes.length);
        return raw;
    }

    private static double agent(String name) throws Exception {
        return calls.scrape(agentUrl).sum(name, labels -> true);
    }

    private static double agent(String name, String reason) throws Exception {
        return calls.scrape(agentUrl).sum(name, labels -> reason.equals(labels.get("reason")));
    }

    interface Reading {
        boolean holds() throws Exception;
    }

    private static void eventually(long ms, String what, Reading reading) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (!reading.holds()) {
            assertTrue(System.nanoTime() < deadline, what + ": not within " + ms + " ms");
            Thread.sleep(50);
        }
    }
}
