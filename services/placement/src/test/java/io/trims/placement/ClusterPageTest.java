package io.trims.placement;

import com.hazelcast.core.HazelcastInstance;
import io.trims.directory.LocalMembers;
import io.trims.directory.HostRecord;
import io.trims.directory.LiveDirectory;
import io.trims.directory.ModelId;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierDirectory;
import io.trims.directory.TierLevel;
import io.trims.directory.TierRoom;
import io.trims.protocol.http.HttpErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The live page's server side over real HTTP and a real Hazelcast directory: the state as JSON, the event stream
 * (snapshot, changes, requests, rates, heartbeats), its client limit, a slow client cut off, and the page files.
 */
class ClusterPageTest {

    private static final long GIB = 1L << 30;
    private static final ModelId TINY = new ModelId("tiny", "1");
    private static final int MAX_CLIENTS = 2;
    private static final long HEARTBEAT_MS = 300;

    private static Vertx vertx;
    private static HazelcastInstance member;
    private static TierDirectory directory;
    private static LiveDirectory live;
    private static RequestLog log;
    private static ClusterPage page;
    private static HttpServer server;
    private static WebClient web;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        member = LocalMembers.startAlone("page-test-" + UUID.randomUUID());
        directory = new TierDirectory(member);
        live = LiveDirectory.open(directory);
        log = new RequestLog(50);
        page = new ClusterPage(vertx, live, log, MAX_CLIENTS, HEARTBEAT_MS);
        Router router = Router.router(vertx);
        page.mount(router);
        HttpErrors.install(router);
        server = await(vertx.createHttpServer().requestHandler(router).listen(0));
        web = WebClient.create(vertx);
        http = vertx.createHttpClient();
    }

    @BeforeEach
    void noStreamIsOpen() {
        eventually("the streams of the test before are closed", () -> page.listening() == 0);
    }

    @AfterEach
    void forget() {
        for (String host : List.of("alpha", "beta")) {
            directory.removeHost(host);
        }
        for (TierLevel tier : TierLevel.values()) {
            directory.removeResidency("alpha", TINY, tier);
            directory.removeResidency("beta", TINY, tier);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        page.close();
        await(server.close());
        live.close();
        directory.close();
        member.shutdown();
        await(vertx.close());
    }

    private static void publish(String name, boolean gpu, long cpuUsed) {
        directory.publishHost(new HostRecord(name, directory.localMemberId(), "http://" + name + ":8081", gpu,
                new TierRoom(gpu ? 16 * GIB : 0, 0), new TierRoom(4 * GIB, cpuUsed), new TierRoom(10 * GIB, 0),
                3, 1234));
    }

    private static void copy(String host, TierLevel tier, ResidencyState state) {
        directory.putResidency(new Residency(host, TINY.name(), TINY.version(), tier, state, 1000, 99));
    }

    @Test
    void theClusterAsJsonHasHostsTiersCopiesRequestsAndRates() throws Exception {
        publish("beta", true, 0);
        publish("alpha", false, GIB);
        copy("alpha", TierLevel.CPU, ResidencyState.READY);
        copy("alpha", TierLevel.DISK, ResidencyState.READY);
        copy("beta", TierLevel.GPU, ResidencyState.LOADING);
        log.add(TINY, "alpha", "cpu", "cpu", 200, 4.5, 3.25);
        eventually("the directory copy follows", () -> live.snapshot().residencies().size() == 3
                && live.hosts().size() == 2);

        HttpResponse<Buffer> answer = get("/v1/cluster");
        assertEquals(200, answer.statusCode());
        assertEquals("application/json", answer.getHeader("content-type"));
        JsonObject cluster = answer.bodyAsJsonObject();

        JsonArray hosts = cluster.getJsonArray("hosts");
        assertEquals(List.of("alpha", "beta"), hosts.stream().map(h -> ((JsonObject) h).getString("host")).toList());
        JsonObject alpha = hosts.getJsonObject(0);
        assertEquals("http://alpha:8081", alpha.getString("endpoint"));
        assertEquals(false, alpha.getBoolean("gpu"));
        assertEquals(3, alpha.getInteger("inFlight"));
        assertEquals(new JsonObject().put("present", true).put("capacityBytes", 4 * GIB).put("usedBytes", GIB),
                alpha.getJsonObject("tiers").getJsonObject("cpu"));
        assertEquals(false, alpha.getJsonObject("tiers").getJsonObject("gpu").getBoolean("present"));
        assertEquals(16 * GIB, hosts.getJsonObject(1).getJsonObject("tiers").getJsonObject("gpu")
                .getLong("capacityBytes"));

        JsonArray residencies = cluster.getJsonArray("residencies");
        assertEquals(List.of("alpha cpu ready", "alpha disk ready", "beta gpu loading"), residencies.stream()
                .map(r -> (JsonObject) r)
                .map(r -> r.getString("host") + " " + r.getString("tier") + " " + r.getString("state")).toList());
        assertEquals(1000, residencies.getJsonObject(0).getLong("bytes"));
        assertEquals("tiny", residencies.getJsonObject(0).getString("model"));

        JsonObject tiny = cluster.getJsonArray("models").getJsonObject(0);
        assertEquals("tiny", tiny.getString("model"));
        assertEquals(new JsonObject().put("gpu", 0).put("cpu", 1).put("disk", 1), tiny.getJsonObject("ready"));
        assertEquals(1, tiny.getInteger("loading"));
        assertEquals(0, tiny.getInteger("evicting"));
        assertEquals(new JsonArray().add("alpha").add("beta"), tiny.getJsonArray("hosts"));

        JsonArray requests = cluster.getJsonArray("requests");
        JsonObject latest = requests.getJsonObject(requests.size() - 1);
        assertEquals("alpha", latest.getString("host"));
        assertEquals(4.5, latest.getDouble("latencyMs"));
        assertEquals(3.25, latest.getDouble("predictedMs"));
        assertTrue(cluster.getLong("at") >= latest.getLong("at"));
        assertTrue(cluster.getJsonArray("rates").stream()
                .anyMatch(r -> ((JsonObject) r).getString("model").equals("tiny")), cluster.encode());
    }

    @Test
    void theStreamStartsWithASnapshotThenSendsChangesRequestsRatesAndHeartbeats() throws Exception {
        publish("alpha", false, 0);
        eventually("alpha is known", () -> live.hosts().containsKey("alpha"));
        Stream stream = Stream.open();
        assertEquals("text/event-stream; charset=utf-8", stream.response.getHeader("content-type"));
        stream.awaitEvent("snapshot", data -> data.contains("\"alpha\""));
        assertTrue(stream.events().get(0).startsWith("event: snapshot\n"), "the snapshot comes first");

        copy("alpha", TierLevel.CPU, ResidencyState.READY);
        stream.awaitEvent("directory", data -> data.contains("\"state\":\"ready\""));
        RequestLog.Entry entry = log.add(TINY, "alpha", "cpu", "cpu", 200, 6.5, 2);
        stream.awaitEvent("requests", data -> data.contains("\"seq\":" + entry.seq() + ","));
        stream.awaitEvent("rates", data -> data.startsWith("["));
        stream.until("a heartbeat", () -> stream.events().stream().anyMatch(e -> e.startsWith(": heartbeat")));

        stream.close();
        eventually("a client that left is forgotten", () -> page.listening() == 0);
    }

    @Test
    void beyondTheLimitAStreamIsRefusedUntilAClientLeaves() throws Exception {
        Stream first = Stream.open();
        Stream second = Stream.open();
        eventually("two listen", () -> page.listening() == 2);
        HttpResponse<Buffer> refused = get("/v1/cluster/events");
        assertEquals(503, refused.statusCode());
        assertTrue(refused.bodyAsJsonObject().getString("error").contains("already has 2 clients"),
                refused.bodyAsString());

        first.close();
        eventually("the slot is free again", () -> page.listening() == 1);
        Stream third = Stream.open();
        third.awaitEvent("snapshot", data -> true);
        second.close();
        third.close();
    }

    @Test
    void aClientThatDoesNotReadIsCutOffWhileOneThatReadsStays() throws Exception {
        Stream reading = Stream.open();
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("localhost", server.actualPort()), 5_000);
            OutputStream out = stalled.getOutputStream();
            out.write("GET /v1/cluster/events HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            eventually("both listen", () -> page.listening() == 2);
            // Requests with long host names make megabytes of events a second, which the stalled client never reads.
            String wide = "h".repeat(16 * 1024);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (page.listening() == 2) {
                if (System.nanoTime() > deadline) {
                    fail("the stalled client was not cut off within 30 s");
                }
                for (int i = 0; i < 20; i++) {
                    log.add(TINY, wide, "cpu", "cpu", 200, 1, 1);
                }
                Thread.sleep(50);
            }
        }
        assertEquals(1, page.listening());
        RequestLog.Entry after = log.add(TINY, "alpha", "cpu", "cpu", 200, 1, 1);
        reading.awaitEvent("requests", data -> data.contains("\"seq\":" + after.seq() + ","));
        reading.close();
    }

    @Test
    void thePageAndItsFilesAreServedFromTheJar() throws Exception {
        HttpResponse<Buffer> index = get("/");
        assertEquals(200, index.statusCode());
        assertEquals("text/html; charset=utf-8", index.getHeader("content-type"));
        assertTrue(index.getHeader("content-security-policy").contains("default-src 'self'"));
        assertTrue(index.bodyAsString().contains("<script src=\"page/page.js\""));
        HttpResponse<Buffer> script = get("/page/page.js");
        assertEquals("text/javascript; charset=utf-8", script.getHeader("content-type"));
        assertTrue(script.bodyAsString().contains("new EventSource('v1/cluster/events')"));
        assertEquals(script.bodyAsString(), get("/page/page.js").bodyAsString(), "served whole each time");
        assertEquals("text/css; charset=utf-8", get("/page/page.css").getHeader("content-type"));
        HttpResponse<Buffer> missing = get("/page/secret.txt");
        assertEquals(404, missing.statusCode());
        assertEquals("no such page file: secret.txt", missing.bodyAsJsonObject().getString("error"));
    }

    /** One open event stream, read into memory as it comes. */
    private static final class Stream {
        final HttpClientResponse response;
        private final StringBuilder received = new StringBuilder();

        private Stream(HttpClientResponse response) {
            this.response = response;
            response.handler(chunk -> {
                synchronized (received) {
                    received.append(chunk.toString(StandardCharsets.UTF_8));
                }
            });
        }

        static Stream open() throws Exception {
            // The reading handler is set on the event loop as the answer comes, so that no chunk goes unread.
            Stream stream = ClusterPageTest.await(http.request(HttpMethod.GET, server.actualPort(), "localhost", "/v1/cluster/events")
                    .compose(request -> request.send()).map(Stream::new));
            assertEquals(200, stream.response.statusCode());
            return stream;
        }

        /** The complete events (blocks ending in a blank line) received so far. */
        List<String> events() {
            String text;
            synchronized (received) {
                text = received.toString();
            }
            List<String> events = new ArrayList<>();
            int start = 0;
            for (int end = text.indexOf("\n\n"); end >= 0; end = text.indexOf("\n\n", start)) {
                events.add(text.substring(start, end + 1));
                start = end + 2;
            }
            return events;
        }

        void awaitEvent(String name, Predicate<String> data) {
            String head = "event: " + name + "\ndata: ";
            until("a " + name + " event", () -> events().stream()
                    .anyMatch(e -> e.startsWith(head) && data.test(e.substring(head.length()))));
        }

        void until(String what, BooleanSupplier condition) {
            eventually(what + " (received: " + abbreviated() + ")", condition);
        }

        private String abbreviated() {
            synchronized (received) {
                return received.length() > 2000 ? received.substring(0, 2000) + "..." : received.toString();
            }
        }

        void close() throws Exception {
            ClusterPageTest.await(response.request().connection().close());
        }
    }

    private static HttpResponse<Buffer> get(String path) throws Exception {
        return await(web.request(HttpMethod.GET, server.actualPort(), "localhost", path).send());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Directory changes and events arrive asynchronously: polls, at most 10 s. */
    private static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + ": not within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
