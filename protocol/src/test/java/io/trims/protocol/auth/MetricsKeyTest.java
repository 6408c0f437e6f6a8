package io.trims.protocol.auth;

import io.micrometer.core.instrument.Counter;
import io.trims.protocol.http.HttpErrors;
import io.trims.protocol.http.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /metrics} of a services process behind the real {@link AuthGate} on a real Vert.x HTTP server, one closed
 * (TRIMS_AUTH_OPEN unset) and one with reads open, both configured from the environment as a process is. Its series
 * name a tenant's private model, which is why only the metrics key or the admin key may scrape a closed server, and
 * the metrics key may do nothing else.
 */
class MetricsKeyTest {

    private static final String PRIVATE_MODEL = "tenant-w-private-model";

    @TempDir
    static Path dir;
    private static Vertx vertx;
    private static Metrics metrics;
    private static WebClient client;
    private static int closedPort;
    private static int openPort;
    private static Auth closed;
    private static final String ADMIN_KEY = ApiKeys.newKey();
    private static final String METRICS_KEY = ApiKeys.newKey();
    private static final String READ_KEY = ApiKeys.newKey();
    private static final String WRITE_KEY = ApiKeys.newKey();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        metrics = Metrics.withoutProcessMeters();
        Counter.builder("trims_test_requests_total").tag("model", PRIVATE_MODEL).register(metrics.registry())
                .increment();
        Path keysFile = dir.resolve("keys");
        Files.write(keysFile, List.of(ApiKeys.line("r", Role.READ, READ_KEY), ApiKeys.line("w", Role.WRITE, WRITE_KEY)));
        Map<String, String> env = Map.of("TRIMS_API_KEYS_FILE", keysFile.toString(), "TRIMS_ADMIN_KEY", ADMIN_KEY,
                "TRIMS_METRICS_KEY", METRICS_KEY);
        closed = new Auth(AuthConfig.fromEnv(env));
        closedPort = serve(closed);
        Map<String, String> openEnv = new HashMap<>(env);
        openEnv.put("TRIMS_AUTH_OPEN", "reads");
        openPort = serve(new Auth(AuthConfig.fromEnv(openEnv)));
        client = WebClient.create(vertx);
    }

    /** A services router in miniature: the gate first, then metrics, health, the registry, cluster and infer. */
    private static int serve(Auth auth) throws Exception {
        Router router = Router.router(vertx);
        HttpErrors.install(router);
        AuthGate.install(router, auth);
        metrics.mount(router);
        router.get("/v2/health/live").handler(ctx -> ctx.end());
        router.get("/v1/models").handler(ctx -> ctx.json(List.of()));
        router.post("/v1/models/:model").handler(ctx -> ctx.response().setStatusCode(201).end());
        router.get("/v1/cluster").handler(ctx -> ctx.json(Map.of()));
        router.post("/v2/models/:model/infer").handler(ctx -> ctx.json(Map.of("outputs", List.of())));
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
        return server.actualPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        vertx.close().await(10, TimeUnit.SECONDS);
        metrics.close();
    }

    private static HttpResponse<Buffer> send(int port, HttpMethod method, String path, String key) throws Exception {
        HttpRequest<Buffer> request = client.request(method, port, "127.0.0.1", path);
        if (key != null) {
            request.putHeader("authorization", "Bearer " + key);
        }
        return request.send().await(10, TimeUnit.SECONDS);
    }

    private static String error(HttpResponse<Buffer> response) {
        return response.bodyAsJsonObject().getString("error");
    }

    @Test
    void withReadsOpenTheMetricsNeedNoKey() throws Exception {
        HttpResponse<Buffer> anonymous = send(openPort, HttpMethod.GET, "/metrics", null);
        assertEquals(200, anonymous.statusCode());
        assertTrue(anonymous.bodyAsString().contains(PRIVATE_MODEL), anonymous.bodyAsString());
        assertEquals(200, send(openPort, HttpMethod.GET, "/metrics", METRICS_KEY).statusCode());
        assertEquals(200, send(openPort, HttpMethod.GET, "/metrics", READ_KEY).statusCode());
        HttpResponse<Buffer> badKey = send(openPort, HttpMethod.GET, "/metrics", "trims_mistyped");
        assertEquals(401, badKey.statusCode(), "a mistyped key is refused wherever it is sent");
    }

    @Test
    void onAClosedServerOnlyTheMetricsKeyAndTheAdminKeyScrape() throws Exception {
        String[][] callers = {{null, "401"}, {READ_KEY, "403"}, {WRITE_KEY, "403"}, {METRICS_KEY, "200"},
                {ADMIN_KEY, "200"}};
        for (String[] caller : callers) {
            HttpResponse<Buffer> scrape = send(closedPort, HttpMethod.GET, "/metrics", caller[0]);
            int status = Integer.parseInt(caller[1]);
            assertEquals(status, scrape.statusCode(), scrape.bodyAsString());
            assertEquals(status == 200, scrape.bodyAsString().contains(PRIVATE_MODEL), "the series, to 200 only");
            if (status != 200) {
                assertTrue(error(scrape).contains("the metrics key (TRIMS_METRICS_KEY) or the admin key"),
                        error(scrape));
            }
        }
        HttpResponse<Buffer> anonymous = send(closedPort, HttpMethod.GET, "/metrics", null);
        assertEquals("Bearer realm=\"trims\"", anonymous.getHeader("www-authenticate"));
        assertTrue(error(anonymous).endsWith("send 'Authorization: Bearer <key>'"), error(anonymous));
    }

    @Test
    void theMetricsKeyGrantsNothingElse() throws Exception {
        for (int port : List.of(closedPort, openPort)) {
            for (String[] call : new String[][]{{"GET", "/v1/models"}, {"POST", "/v1/models/m"},
                    {"GET", "/v1/cluster"}, {"POST", "/v2/models/m/infer"}}) {
                HttpResponse<Buffer> refused = send(port, HttpMethod.valueOf(call[0]), call[1], METRICS_KEY);
                assertEquals(403, refused.statusCode(), call[0] + " " + call[1] + " on port " + port);
                assertEquals("the metrics key (TRIMS_METRICS_KEY) grants GET /metrics only", error(refused));
            }
        }
        assertEquals(200, send(closedPort, HttpMethod.POST, "/v2/models/m/infer", READ_KEY).statusCode());
        assertEquals(200, send(closedPort, HttpMethod.GET, "/v2/health/live", null).statusCode(),
                "health stays open");
        // gRPC asks the same Auth with the same Needs.
        for (Auth.Need need : List.of(Auth.Need.READ, Auth.Need.OPERATOR, Auth.Need.WRITE)) {
            AuthException e = assertThrows(AuthException.class, () -> closed.admit("Bearer " + METRICS_KEY, need));
            assertEquals(403, e.status(), need.name());
        }
    }

    @Test
    void theMetricsKeyIsKeptOnlyAsASaltedHash() {
        AuthConfig config = closed.config();
        assertFalse(config.toString().contains(METRICS_KEY));
        ApiKeys.Entry entry = config.metricsKey().find(METRICS_KEY).orElseThrow();
        assertEquals(32, entry.hash().length, "SHA-256");
        assertFalse(entry.salt().isEmpty());
        assertTrue(config.metricsKey().find(METRICS_KEY + "x").isEmpty());
        assertTrue(config.keys().find(METRICS_KEY).isEmpty(), "the metrics key is not an API key");
        assertTrue(AuthConfig.fromEnv(Map.of()).metricsKey().isEmpty(), "unset: no metrics key");
    }
}
