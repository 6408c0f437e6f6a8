package io.trims.placement;


import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trims.directory.ModelRecord;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierDirectory;
import io.trims.directory.TierLevel;
import io.trims.protocol.V2Codec;
import io.trims.protocol.V2Exception;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.trims.placement.FrontDoorFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The front door over real HTTP and a real Hazelcast directory, in front of two small stand-in agents whose
 * behaviour each test picks (answer, refuse with 4xx, or drop the connection as a dying host does). The full
 * path through real agents is in the end-to-end test.
 */
class FrontDoorTest {

    private static final ModelRecord MODEL = FrontDoorFixture.MODEL;
    private static final String GOOD = new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
            .put("name", "x").put("datatype", "FP32").put("shape", new JsonArray().add(1).add(2))
            .put("data", new JsonArray().add(1.0).add(2.0)))).encode();

    private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private static FrontDoorFixture fixture;
    private static Vertx vertx;
    private static TierDirectory directory;
    private static WebClient client;
    private static FrontDoor frontDoor;
    private static AutoCloseable routes;
    private static int port;
    private static final StandInAgent alpha = new StandInAgent("alpha");
    private static final StandInAgent beta = new StandInAgent("beta");

    @BeforeAll
    static void start() throws Exception {
        fixture = FrontDoorFixture.start(registry, new FrontDoorConfig(4096, 5_000));
        vertx = fixture.vertx();
        directory = fixture.directory();
        frontDoor = fixture.frontDoor();
        alpha.start();
        beta.start();
        Router router = Router.router(vertx);
        routes = frontDoor.mount(router);
        port = await(vertx.createHttpServer().requestHandler(router).listen(0)).actualPort();
        client = WebClient.create(vertx);
    }

    @AfterEach
    void forgetHosts() throws Exception {
        for (String host : List.of("alpha", "beta")) {
            directory.removeHost(host);
        }
        directory.removeResidency("alpha", MODEL.id(), TierLevel.CPU);
        alpha.mode = Mode.ANSWER;
        beta.mode = Mode.ANSWER;
    }

    @AfterAll
    static void stop() throws Exception {
        routes.close();
        fixture.close();
    }

    @Test
    void healthIsLiveAlwaysAndReadyOnlyWithALiveAgent() throws Exception {
        assertEquals(200, get("/v2/health/live").statusCode());
        assertEquals(503, get("/v2/health/ready").statusCode());
        assertError(get("/v2/models/double/ready"), 400, "no live host");
        alpha.publish(0);
        eventually(() -> get("/v2/health/ready").statusCode() == 200);
        assertError(get("/v2/models/nope/ready"), 404, "unknown model 'nope'");
    }

    @Test
    void aModelIsReadyOnlyWhenACopyIsReadyInMemoryOnALiveHost() throws Exception {
        alpha.publish(0);
        eventually(() -> get("/v2/health/ready").statusCode() == 200);
        assertError(get("/v2/models/double/ready"), 400, "in object storage only");
        directory.putResidency(new Residency("alpha", "double", "1", TierLevel.DISK, ResidencyState.READY, 10, 0));
        eventually(() -> error(get("/v2/models/double/ready")).contains("on disk on alpha"));
        directory.putResidency(new Residency("alpha", "double", "1", TierLevel.CPU, ResidencyState.LOADING, 10, 0));
        eventually(() -> error(get("/v2/models/double/ready")).contains("loading into cpu on alpha"));
        HttpResponse<Buffer> loading = get("/v2/models/double/versions/1/ready");
        assertEquals(400, loading.statusCode());
        assertEquals(false, loading.bodyAsJsonObject().getBoolean("ready"));

        directory.putResidency(new Residency("alpha", "double", "1", TierLevel.CPU, ResidencyState.READY, 10, 0));
        eventually(() -> get("/v2/models/double/ready").statusCode() == 200);
        assertEquals(new JsonObject().put("name", "double").put("version", "1").put("ready", true),
                get("/v2/models/double/versions/1/ready").bodyAsJsonObject());
        JsonArray copies = get("/v2/models/double").bodyAsJsonObject().getJsonObject("parameters")
                .getJsonArray("copies");
        assertEquals(new JsonArray()
                .add(new JsonObject().put("host", "alpha").put("tier", "cpu").put("state", "ready"))
                .add(new JsonObject().put("host", "alpha").put("tier", "disk").put("state", "ready")), copies);

        directory.removeHost("alpha");
        eventually(() -> get("/v2/models/double/ready").statusCode() == 400);
    }

    @Test
    void aRepositoryLoadWithoutALiveHostIsUnavailable() throws Exception {
        eventually(() -> get("/v2/health/ready").statusCode() == 503);
        double requestsBefore = inferRequestsCounted();
        HttpResponse<Buffer> load = await(client.request(HttpMethod.POST, port, "localhost",
                "/v2/repository/models/double/load").send());
        assertError(load, 503, "no live host can load model 'double'");
        assertEquals(requestsBefore, inferRequestsCounted(), "a repository call is not counted as an infer request");
    }

    @Test
    void metadataComesFromTheDirectory() throws Exception {
        HttpResponse<Buffer> meta = get("/v2/models/double");
        assertEquals(200, meta.statusCode());
        JsonObject body = meta.bodyAsJsonObject();
        assertEquals("double", body.getString("name"));
        assertEquals(new JsonArray().add("1"), body.getJsonArray("versions"));
        assertEquals("x", body.getJsonArray("inputs").getJsonObject(0).getString("name"));
        assertEquals(200, get("/v2/models/double/versions/1").statusCode());
        assertError(get("/v2/models/nope"), 404, "unknown model 'nope'");
        assertError(get("/v2/models/double/versions/7"), 404, "unknown version '7' of model 'double'");
    }

    @Test
    void inferGoesToTheHolderWithHeaders() throws Exception {
        alpha.publish(0);
        beta.publish(0);
        directory.putResidency(new Residency("alpha", "double", "1", TierLevel.CPU, ResidencyState.READY, 10, 0));
        eventually(() -> "alpha".equals(infer("/v2/models/double/infer", GOOD).getHeader("trims-host")));
        HttpResponse<Buffer> answer = infer("/v2/models/double/versions/1/infer", GOOD);
        assertEquals(200, answer.statusCode());
        assertEquals("alpha", answer.getHeader("trims-host"));
        assertEquals("cpu", answer.getHeader("trims-tier"));
        assertEquals("cpu", answer.getHeader("trims-placement"));
        assertEquals("alpha", answer.bodyAsJsonObject().getString("served_by"));
        assertTrue(registry.get("trims_requests").tags("model", "double", "outcome", "ok").counter().count() >= 1);
        assertTrue(registry.get("trims_request_duration").tags("model", "double").timer().count() >= 1);
        double predicted = Double.parseDouble(answer.getHeader("trims-predicted-ms"));
        assertTrue(predicted > 0, "a warm run is predicted at its run time, never nothing: " + predicted);
        assertTrue(registry.get("trims_prediction_ratio").tags("tier", "cpu").summary().count() >= 1);
        assertTrue(registry.get("trims_prediction_error").tags("tier", "cpu").timer().count() >= 1);
    }

    @Test
    void aHostThatDropsTheConnectionIsRetriedElsewhereOnce() throws Exception {
        alpha.publish(0);
        beta.publish(0);
        directory.putResidency(new Residency("alpha", "double", "1", TierLevel.CPU, ResidencyState.READY, 10, 0));
        eventually(() -> "cpu".equals(infer("/v2/models/double/infer", GOOD).getHeader("trims-placement")));
        double retriesBefore = registry.get("trims_placement_retries").counter().count();
        alpha.mode = Mode.DROP;
        HttpResponse<Buffer> answer = infer("/v2/models/double/infer", GOOD);
        assertEquals(200, answer.statusCode());
        assertEquals("beta", answer.getHeader("trims-host"));
        assertEquals("remote", answer.getHeader("trims-placement"), "the retry is a miss on the other host");
        assertEquals(retriesBefore + 1, registry.get("trims_placement_retries").counter().count());

        beta.mode = Mode.DROP;
        HttpResponse<Buffer> both = infer("/v2/models/double/infer", GOOD);
        assertEquals(502, both.statusCode());
        assertTrue(both.bodyAsJsonObject().getString("error").contains("host 'alpha' failed"), both.bodyAsString());
    }

    @Test
    void aFullHolderIsRoutedAroundAndTwoFullHostsPassThe429On() throws Exception {
        alpha.publish(0);
        beta.publish(0);
        directory.putResidency(new Residency("alpha", "double", "1", TierLevel.CPU, ResidencyState.READY, 10, 0));
        eventually(() -> "cpu".equals(infer("/v2/models/double/infer", GOOD).getHeader("trims-placement")));
        alpha.mode = Mode.FULL;
        HttpResponse<Buffer> around = infer("/v2/models/double/infer", GOOD);
        assertEquals(200, around.statusCode(), around.bodyAsString());
        assertEquals("beta", around.getHeader("trims-host"), "a new copy on the other host");

        beta.mode = Mode.FULL;
        HttpResponse<Buffer> full = infer("/v2/models/double/infer", GOOD);
        assertError(full, 429, "holds as many requests as it may");
        assertEquals("1", full.getHeader("retry-after"));
    }

    @Test
    void aHostWhosePortIsClosedIsRetriedOnTheOther() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        fixture.publishHost("alpha", closed, 0);
        beta.publish(0);
        directory.putResidency(new Residency("alpha", "double", "1", TierLevel.CPU, ResidencyState.READY, 10, 0));
        eventually(() -> "cpu".equals(infer("/v2/models/double/infer", GOOD).getHeader("trims-placement"))
                || "beta".equals(infer("/v2/models/double/infer", GOOD).getHeader("trims-host")));
        HttpResponse<Buffer> answer = infer("/v2/models/double/infer", GOOD);
        assertEquals(200, answer.statusCode(), answer.bodyAsString());
        assertEquals("beta", answer.getHeader("trims-host"));
    }

    @Test
    void aDeadlineIsSentOnAndOneThatCannotBeMetIsNotForwarded() throws Exception {
        alpha.publish(0);
        eventually(() -> get("/v2/health/ready").statusCode() == 200);
        HttpResponse<Buffer> within = await(client.request(HttpMethod.POST, port, "localhost", "/v2/models/double/infer")
                .putHeader("trims-deadline-ms", "60000").sendBuffer(Buffer.buffer(GOOD)));
        assertEquals(200, within.statusCode(), within.bodyAsString());
        long left = Long.parseLong(alpha.lastDeadline);
        assertTrue(left > 0 && left <= 60_000, "what is left of the deadline goes to the agent: " + left);

        int before = alpha.requests;
        HttpResponse<Buffer> missed = await(client.request(HttpMethod.POST, port, "localhost", "/v2/models/double/infer")
                .putHeader("trims-deadline-ms", "0").sendBuffer(Buffer.buffer(GOOD)));
        assertEquals(504, missed.statusCode(), missed.bodyAsString());
        assertEquals(before, alpha.requests, "not forwarded");
        assertError(await(client.request(HttpMethod.POST, port, "localhost", "/v2/models/double/infer")
                .putHeader("trims-deadline-ms", "soon").sendBuffer(Buffer.buffer(GOOD))), 400, "trims-deadline-ms");
    }

    @Test
    void aClientErrorFromTheAgentPassesThroughWithoutRetry() throws Exception {
        alpha.publish(0);
        eventually(() -> get("/v2/health/ready").statusCode() == 200);
        alpha.mode = Mode.REFUSE;
        double retriesBefore = registry.get("trims_placement_retries").counter().count();
        HttpResponse<Buffer> answer = infer("/v2/models/double/infer", GOOD);
        assertError(answer, 422, "alpha refuses");
        assertEquals("alpha", answer.getHeader("trims-host"));
        assertEquals(retriesBefore, registry.get("trims_placement_retries").counter().count());
    }

    @Test
    void aServerErrorFromTheOnlyHostPassesThroughWhenNoOtherHostIsLeft() throws Exception {
        alpha.publish(0);
        eventually(() -> get("/v2/health/ready").statusCode() == 200);
        double retriesBefore = registry.get("trims_placement_retries").counter().count();
        alpha.mode = Mode.UNAVAILABLE;
        HttpResponse<Buffer> unavailable = infer("/v2/models/double/infer", GOOD);
        assertError(unavailable, 503, "alpha is shutting down");
        assertEquals("alpha", unavailable.getHeader("trims-host"));
        assertEquals("cpu", unavailable.getHeader("trims-tier"));
        assertEquals("remote", unavailable.getHeader("trims-placement"));
        assertEquals(retriesBefore + 1, registry.get("trims_placement_retries").counter().count(),
                "another host was looked for");

        alpha.mode = Mode.FAIL_AND_LEAVE;
        HttpResponse<Buffer> failedAndLeft = infer("/v2/models/double/infer", GOOD);
        assertError(failedAndLeft, 500, "alpha failed");
        assertEquals("alpha", failedAndLeft.getHeader("trims-host"));
    }

    @Test
    void unknownModelsAndOversizedBodiesAreAnsweredWithoutAHop() throws Exception {
        alpha.publish(0);
        eventually(() -> get("/v2/health/ready").statusCode() == 200);
        int before = alpha.requests;
        assertError(infer("/v2/models/nope/infer", GOOD), 404, "unknown model 'nope'");
        assertError(infer("/v2/models/double/versions/7/infer", GOOD), 404, "unknown version '7' of model 'double'");
        assertError(infer("/v2/models/double/infer", "{\"inputs\":[\"" + "a".repeat(5000) + "\"]}"),
                413, "larger than 4096 bytes");
        assertEquals(before, alpha.requests, "no request for an unknown model or over the limit reached an agent");
    }

    @Test
    void theBodyIsForwardedAsItCameAndTheAgentsAnswerToABadOnePassesThrough() throws Exception {
        alpha.publish(0);
        eventually(() -> get("/v2/health/ready").statusCode() == 200);
        String spaced = GOOD.replace(",", " ,\n ");
        assertEquals(200, infer("/v2/models/double/infer", spaced).statusCode());
        assertEquals(spaced, alpha.lastBody, "the agent gets the bytes the client sent");

        int before = alpha.requests;
        double retriesBefore = registry.get("trims_placement_retries").counter().count();
        assertError(infer("/v2/models/double/infer", "{\"inputs\": ["), 400, "malformed JSON");
        assertError(infer("/v2/models/double/infer", GOOD.replace("FP32", "FP64")), 400, "FP64");
        assertError(infer("/v2/models/double/infer", GOOD.replace("[1,2]", "[1,3]")), 400, "input 'x'");
        assertError(infer("/v2/models/double/infer", GOOD.replace("\"name\":\"x\"", "\"name\":\"z\"")), 400,
                "missing input 'x'");
        assertEquals(before + 4, alpha.requests, "the agent parsed each body, once");
        assertEquals(retriesBefore, registry.get("trims_placement_retries").counter().count());
        assertTrue(registry.get("trims_requests").tags("model", "double", "outcome", "client_error").counter().count() >= 4);
    }

    @Test
    void noLiveHostIsUnavailable() throws Exception {
        eventually(() -> get("/v2/health/ready").statusCode() == 503);
        assertError(infer("/v2/models/double/infer", GOOD), 503, "no live host can serve model 'double'");
        assertTrue(registry.get("trims_requests").tags("model", "double", "outcome", "unavailable").counter().count() >= 1);
    }

    private static HttpResponse<Buffer> get(String path) throws Exception {
        return await(client.request(HttpMethod.GET, port, "localhost", path).send());
    }

    private static double inferRequestsCounted() {
        return registry.find("trims_requests").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static String error(HttpResponse<Buffer> response) {
        String error = response.bodyAsJsonObject().getString("error");
        return error == null ? "" : error;
    }

    private static HttpResponse<Buffer> infer(String path, String body) throws Exception {
        return await(client.request(HttpMethod.POST, port, "localhost", path).sendBuffer(Buffer.buffer(body)));
    }

    private static void assertError(HttpResponse<Buffer> response, int status, String fragment) {
        assertEquals(status, response.statusCode(), response.bodyAsString());
        assertEquals("application/json", response.getHeader("content-type"));
        String error = response.bodyAsJsonObject().getString("error");
        assertTrue(error != null && error.contains(fragment), "'" + error + "' should say '" + fragment + "'");
    }

    interface Check {
        boolean holds() throws Exception;
    }

    /** Directory changes reach the front door through Hazelcast events: wait for them, at most 5 s. */
    private static void eventually(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(20);
        }
    }

    enum Mode { ANSWER, REFUSE, DROP, UNAVAILABLE, FAIL_AND_LEAVE, FULL }

    /** A stand-in agent: answers infer as told, and publishes itself to the directory. */
    private static final class StandInAgent {
        final String name;
        volatile Mode mode = Mode.ANSWER;
        volatile int requests;
        volatile String lastBody;
        volatile String lastDeadline;
        HttpServer server;

        StandInAgent(String name) {
            this.name = name;
        }

        void start() throws Exception {
            Router router = Router.router(vertx);
            router.post("/v2/models/:model/versions/:version/infer").handler(BodyHandler.create(false)).handler(ctx -> {
                requests++;
                lastBody = ctx.body().asString();
                lastDeadline = ctx.request().getHeader("trims-deadline-ms");
                switch (mode) {
                    case DROP -> ctx.request().connection().close();
                    case REFUSE -> ctx.response().setStatusCode(422).putHeader("trims-host", name)
                            .putHeader("content-type", "application/json")
                            .end(new JsonObject().put("error", name + " refuses").encode());
                    case UNAVAILABLE -> error(ctx, 503, name + " is shutting down");
                    case FULL -> {
                        ctx.response().putHeader("retry-after", "1");
                        error(ctx, 429, name + " holds as many requests as it may");
                    }
                    case FAIL_AND_LEAVE -> vertx.executeBlocking(() -> {
                                directory.removeHost(name);
                                return name;
                            }, false)
                            .onComplete(left -> error(ctx, 500, name + " failed"));
                    case ANSWER -> answer(ctx);
                }
            });
            server = await(vertx.createHttpServer().requestHandler(router).listen(0));
        }

        /** Checks the body with the agent's codec, as a real agent does, and answers like one. */
        private void answer(RoutingContext ctx) {
            try {
                V2Codec.validateAgainst(V2Codec.parseRequest(ctx.body().buffer()), MODEL);
            } catch (V2Exception e) {
                error(ctx, e.status(), e.getMessage());
                return;
            }
            ctx.response().putHeader("trims-host", name).putHeader("trims-tier", "cpu")
                    .putHeader("content-type", "application/json")
                    .end(new JsonObject().put("model_name", ctx.pathParam("model")).put("served_by", name)
                            .put("outputs", new JsonArray()).encode());
        }

        private void error(RoutingContext ctx, int status, String message) {
            ctx.response().setStatusCode(status).putHeader("trims-host", name).putHeader("trims-tier", "cpu")
                    .putHeader("content-type", "application/json")
                    .end(new JsonObject().put("error", message).encode());
        }

        void publish(int inFlight) {
            fixture.publishHost(name, server.actualPort(), inFlight);
        }
    }
}
