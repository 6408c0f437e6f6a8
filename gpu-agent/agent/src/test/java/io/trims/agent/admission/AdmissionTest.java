package io.trims.agent.admission;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trims.agent.Agent;
import io.trims.agent.AgentConfig;
import io.trims.agent.testing.TestCluster;
import io.trims.directory.RecordSigner;
import io.trims.protocol.InferBody;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.trims.agent.testing.TestCluster.await;
import static io.trims.agent.testing.TestCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run queue of a real agent, over real HTTP, with real ONNX Runtime runs of a model that costs compute
 * ({@link DeepModel}); each agent runs one request at a time, so what waits is observable. "roomy" keeps the default
 * limits; "tight" holds two requests per model, three in all, and answers at most 64 KiB.
 */
class AdmissionTest {

    private static final int HEAVY = 128;
    /** Long enough to hold the only worker while the test queues others behind it, on a fast machine too. */
    private static final int BLOCKER = 8 * HEAVY;

    @TempDir
    static Path dir;

    private static final PrometheusMeterRegistry REGISTRY = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private static TestCluster cluster;
    private static Vertx vertx;
    private static Agent roomy;
    private static Agent tight;
    private static WebClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = new TestCluster(dir.resolve("s3"));
        vertx = Vertx.vertx();
        DeepModel.register(cluster, "deep");
        DeepModel.register(cluster, "deep-other");
        roomy = await(Agent.start(vertx, AgentConfig.local("roomy", dir.resolve("roomy"), 64 << 20, 64 << 20)
                .withInferenceThreads(1), cluster.directory(), cluster.store(), REGISTRY));
        tight = await(Agent.start(vertx, AgentConfig.local("tight", dir.resolve("tight"), 64 << 20, 64 << 20)
                .withInferenceThreads(1)
                .withAdmission(AdmissionLimits.defaults().withQueue(3, 2, 64 << 20).withRequestLimits(4 * HEAVY, 1 << 20, 1 << 18)),
                cluster.directory(), cluster.store(), REGISTRY));
        client = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(16));
        for (Agent agent : List.of(roomy, tight)) {
            assertEquals(200, infer(agent, "deep", DeepModel.request("warm", 1), null).statusCode());
            assertEquals(200, infer(agent, "deep-other", DeepModel.request("warm", 1), null).statusCode());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        await(roomy.stop());
        await(tight.stop());
        await(vertx.close());
        cluster.close();
    }

    @Test
    void aFullAgentAnswers429WithRetryAfterAndTheOtherModelIsStillTaken() throws Exception {
        double refusedBefore = rejected(tight, "queue_full");
        List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sent.add(send(tight, "deep", DeepModel.request("r" + i, HEAVY), null));
        }
        Future<HttpResponse<Buffer>> other = send(tight, "deep-other", DeepModel.request("other", 1), null);
        List<HttpResponse<Buffer>> refused = new ArrayList<>();
        int served = 0;
        for (Future<HttpResponse<Buffer>> answer : sent) {
            HttpResponse<Buffer> response = await(answer);
            if (response.statusCode() == 429) {
                refused.add(response);
            } else {
                assertEquals(200, response.statusCode(), response.bodyAsString());
                served++;
            }
        }
        assertTrue(served >= 2 && refused.size() >= 1, served + " served, " + refused.size() + " refused");
        HttpResponse<Buffer> first = refused.get(0);
        assertEquals("1", first.getHeader("retry-after"));
        assertTrue(first.bodyAsString().contains("TRIMS_QUEUE_MAX_REQUESTS"), first.bodyAsString());
        assertEquals(200, await(other).statusCode(), "the other model was refused");
        assertEquals(refusedBefore + refused.size(), rejected(tight, "queue_full"));
    }

    @Test
    void anAnswerOverTheOutputLimitIsA413BeforeAnythingRuns() throws Exception {
        long runs = runs(tight);
        HttpResponse<Buffer> output = infer(tight, "deep", DeepModel.request("big", 2 * HEAVY + 1), null);
        assertEquals(413, output.statusCode());
        assertTrue(output.bodyAsString().contains("TRIMS_MAX_OUTPUT_BYTES"), output.bodyAsString());
        HttpResponse<Buffer> batch = infer(tight, "deep", DeepModel.request("wide", 4 * HEAVY + 1), null);
        assertEquals(413, batch.statusCode());
        assertTrue(batch.bodyAsString().contains("TRIMS_MAX_BATCH"), batch.bodyAsString());
        assertEquals(runs, runs(tight), "a refused request ran");
    }

    @Test
    void abandonedRequestsAreNotRunAndTheNextSmallOneIsServedAtOnce() throws Exception {
        double heavyMs = computeMs(infer(roomy, "deep", DeepModel.request("heavy", HEAVY), null));
        double goneBefore = rejected(roomy, "client_gone");
        long runsBefore = runs(roomy);
        byte[] raw = DeepModel.raw("deep", DeepModel.request("abandoned", HEAVY));
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", roomy.port()), 5_000);
                OutputStream out = socket.getOutputStream();
                out.write(raw);
                out.flush();
                clients.add(socket);
            }
            // Some may have run by the time the last is read; each is held or has run.
            eventually(30_000, "the agent took the 100 requests",
                    () -> gauge(roomy, "trims.queue.requests") + runs(roomy) - runsBefore >= 100);
        } finally {
            for (Socket socket : clients) {
                socket.close();
            }
        }
        long closed = System.nanoTime();
        long ranBeforeClose = runs(roomy) - runsBefore;
        HttpResponse<Buffer> small = infer(roomy, "deep", DeepModel.request("small", 1), null);
        double smallMs = (System.nanoTime() - closed) / 1e6;
        assertEquals(200, small.statusCode(), small.bodyAsString());
        long ranAfterClose = runs(roomy) - runsBefore - ranBeforeClose - 1;
        System.out.printf("abandoned 100 requests of %.1f ms each: %d ran before their clients left, %d after; "
                + "the next small one took %.1f ms%n", heavyMs, ranBeforeClose, ranAfterClose, smallMs);
        assertTrue(ranAfterClose <= 3, ranAfterClose + " abandoned requests ran after their clients left");
        assertTrue(smallMs < 10 * heavyMs + 500, "the small request took " + smallMs + " ms; one heavy run takes "
                + heavyMs + " ms");
        eventually(10_000, "the abandoned requests are counted", () -> rejected(roomy, "client_gone") - goneBefore >= 100 - ranBeforeClose - 2);
        eventually(10_000, "their places are given back", () -> gauge(roomy, "trims.queue.requests") == 0);
    }

    @Test
    void aRequestWhoseDeadlinePassesWhileItWaitsIsA504AndNeverRuns() throws Exception {
        long runsBefore = runs(roomy);
        Future<HttpResponse<Buffer>> blocker = send(roomy, "deep", DeepModel.request("blocker", BLOCKER), null);
        eventually(10_000, "the blocker runs", () -> gauge(roomy, "trims.queue.requests") >= 1);
        long sent = System.nanoTime();
        HttpResponse<Buffer> late = infer(roomy, "deep", DeepModel.request("late", 1), "40");
        double lateMs = (System.nanoTime() - sent) / 1e6;
        assertEquals(504, late.statusCode(), late.bodyAsString());
        assertTrue(late.bodyAsString().contains("deadline"), late.bodyAsString());
        double blockerMs = computeMs(await(blocker));
        assertTrue(lateMs < blockerMs, "the 504 came after " + lateMs + " ms, the blocker ran " + blockerMs + " ms");
        HttpResponse<Buffer> timedOut = infer(roomy, "deep", DeepModel.request("timed", 1, 1), null);
        assertEquals(504, timedOut.statusCode(), timedOut.bodyAsString());
        assertEquals(runsBefore + 1, runs(roomy), "only the blocker ran");
        assertTrue(rejected(roomy, "deadline") >= 2);
    }

    @Test
    void waitingWorkRunsEarliestDeadlineFirst() throws Exception {
        Future<HttpResponse<Buffer>> blocker = send(roomy, "deep", DeepModel.request("blocker", BLOCKER), null);
        eventually(10_000, "the blocker runs", () -> gauge(roomy, "trims.queue.requests") >= 1);
        List<String> finished = new CopyOnWriteArrayList<>();
        List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
        for (String[] request : new String[][]{{"late", "30000"}, {"early", "10000"}, {"middle", "20000"}}) {
            answers.add(send(roomy, "deep", DeepModel.request(request[0], 1), request[1])
                    .onSuccess(answer -> finished.add(request[0])));
        }
        eventually(10_000, "the three wait behind the blocker", () -> gauge(roomy, "trims.queue.waiting") >= 3);
        assertEquals(200, await(blocker).statusCode());
        for (Future<HttpResponse<Buffer>> answer : answers) {
            assertEquals(200, await(answer).statusCode());
        }
        assertEquals(List.of("early", "middle", "late"), finished);
    }

    private static Future<HttpResponse<Buffer>> send(Agent agent, String model, InferBody.Encoded body,
                                                     String deadlineMs) {
        var request = client.postAbs(agent.endpoint() + "/v2/models/" + model + "/infer")
                .putHeader(RecordSigner.AGENT_KEY_HEADER, RecordSigner.thisRun().agentKey());
        body.putHeaders(request.headers());
        if (deadlineMs != null) {
            request.putHeader("trims-deadline-ms", deadlineMs);
        }
        return request.sendBuffer(body.body());
    }

    private static HttpResponse<Buffer> infer(Agent agent, String model, InferBody.Encoded body, String deadlineMs)
            throws Exception {
        return await(send(agent, model, body, deadlineMs));
    }

    private static double computeMs(HttpResponse<Buffer> answer) {
        assertEquals(200, answer.statusCode(), answer.bodyAsString());
        return Double.parseDouble(answer.getHeader("trims-compute-us")) / 1_000;
    }

    /** Runs the agent made so far, every tier. */
    private static long runs(Agent agent) {
        return REGISTRY.find("trims.inference.duration").tag("host", agent.host()).timers().stream()
                .mapToLong(Timer::count).sum();
    }

    private static double rejected(Agent agent, String reason) {
        return REGISTRY.get("trims.requests.rejected").tag("host", agent.host()).tag("reason", reason).counter().count();
    }

    private static double gauge(Agent agent, String name) {
        return REGISTRY.get(name).tag("host", agent.host()).gauge().value();
    }
}
