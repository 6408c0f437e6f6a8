package io.trims.agent;

import io.trims.directory.RecordSigner;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trims.agent.testing.TestCluster;
import io.trims.directory.ModelRecord;
import io.trims.testmodels.OnnxModels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static io.trims.agent.testing.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's event loops never wait: a loaded agent (real tiers, directory, S3 server, ONNX Runtime and HTTP) serves
 * concurrent clients while its CPU and disk tiers, each too small for all the models, load and evict them, under
 * Vert.x's blocked-thread checker at a 50 ms limit; the checker must not warn once.
 */
class EventLoopNeverBlocksTest {

    /** The embedded default's agent key: the test cluster signs with this JVM run's secret. */
    private static final String AGENT_KEY = RecordSigner.thisRun().agentKey();

    /** Vert.x 5.2 names the checker's logger after its Vert.x 4 class, not its package. */
    private static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";
    private static final int SIZE = 64;
    private static final int HOT = 2;
    private static final int COLD = 4;
    private static final int CLIENTS = 4;
    private static final int REQUESTS_EACH = 25;

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> checker = new ListAppender<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Logger checkerLogger;
    private TestCluster cluster;
    private Vertx vertx;
    private Vertx clients;
    private Agent agent;

    @BeforeEach
    void start() throws Exception {
        checkerLogger = (Logger) LoggerFactory.getLogger(CHECKER_LOGGER);
        checkerLogger.setLevel(Level.WARN);
        checker.start();
        checkerLogger.addAppender(checker);
        cluster = new TestCluster(dir.resolve("s3"));
        vertx = Vertx.vertx(new VertxOptions()
                .setBlockedThreadCheckInterval(10)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setMaxEventLoopExecuteTime(50)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                // A warning carries the blocked thread's stack, which says what blocked it.
                .setWarningExceptionTime(50)
                .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
        // The clients run on a Vert.x of their own: only the agent's event loops are under the checker's limit.
        clients = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            await(agent.stop());
        }
        await(clients.close());
        await(vertx.close());
        cluster.close();
        checkerLogger.detachAppender(checker);
    }

    @Test
    void hitsLoadsAndEvictionsUnderConcurrentClientsNeverBlockAnEventLoop() throws Exception {
        List<ModelRecord> hot = new ArrayList<>();
        List<ModelRecord> cold = new ArrayList<>();
        for (int i = 0; i < HOT + COLD; i++) {
            (i < HOT ? hot : cold).add(cluster.registerMatMulAdd("model-" + i, "1", SIZE, SIZE, i));
        }
        long modelBytes = OnnxModels.matMulAdd(SIZE, SIZE, 0).length;
        // Room for the hot models and one cold one in memory, four of the six on disk: loads evict in both tiers.
        // Few worker threads: the checker measures wall time, and a starved CPU would look like a blocked loop.
        AgentConfig config = AgentConfig.fromEnv(Map.of("TRIMS_HOST", "busy", "TRIMS_AGENT_PORT", "0",
                "TRIMS_CACHE_DIR", dir.resolve("cache").toString(),
                "TRIMS_CPU_BUDGET_BYTES", Long.toString((HOT + 1) * modelBytes),
                "TRIMS_DISK_BUDGET_BYTES", Long.toString(4 * modelBytes),
                "TRIMS_INFER_THREADS", "2", "TRIMS_LOAD_THREADS", "2"));
        agent = await(Agent.start(vertx, config, cluster.directory(), cluster.store(), registry));
        WebClient client = WebClient.create(clients, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(CLIENTS));

        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        // Each model once, one after another: the classes of every path (fetch, load, evict, hit) load before the
        // checker counts; loading a class on first use is the JVM's one-off work, not a wait.
        for (int i = 0; i < HOT + COLD; i++) {
            ModelRecord model = (i < HOT ? hot.get(i) : cold.get(i - HOT));
            await(requests(client, new ConcurrentHashMap<>(), REQUESTS_EACH - 1, n -> model));
        }
        checker.list.clear();
        List<Future<Void>> runs = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int clientNo = c;
            runs.add(requests(client, statuses, 0, i -> i % 3 == 0 ? cold.get((clientNo + i) % COLD) : hot.get(clientNo % HOT)));
        }
        Future.all(runs).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        client.close();

        assertEquals(List.of(), checker.list.stream().map(EventLoopNeverBlocksTest::warning).toList(),
                "the blocked-thread checker warned");
        int ok = statuses.getOrDefault(200, new AtomicInteger()).get();
        assertTrue(statuses.keySet().stream().allMatch(s -> s == 200 || s == 503), "only answers or retries: " + statuses);
        assertTrue(ok >= CLIENTS * REQUESTS_EACH / 2, "most requests were answered: " + statuses);
        assertTrue(count("trims.tier.hits", "cpu") > 0, "hot models were hit in memory");
        assertTrue(count("trims.evictions", "cpu") > 0, "the CPU tier evicted while others were hit");
        assertTrue(count("trims.evictions", "disk") > 0, "the disk tier evicted (moved and deleted files)");
    }

    /** One client's requests, one after another; each picks its model by its number. */
    private Future<Void> requests(WebClient client, Map<Integer, AtomicInteger> statuses, int i,
                                  IntFunction<ModelRecord> pick) {
        if (i == REQUESTS_EACH) {
            return Future.succeededFuture();
        }
        ModelRecord model = pick.apply(i);
        return client.postAbs(agent.endpoint() + "/v2/models/" + model.name() + "/infer")
                .putHeader(RecordSigner.AGENT_KEY_HEADER, AGENT_KEY)
                .sendJsonObject(inferBody(i))
                .compose(response -> {
                    statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                    if (response.statusCode() == 200) {
                        assertAnswerOf(model, response);
                    }
                    return requests(client, statuses, i + 1, pick);
                });
    }

    private static JsonObject inferBody(int i) {
        JsonArray data = new JsonArray();
        for (int k = 0; k < SIZE; k++) {
            data.add((float) (k + i) / SIZE);
        }
        return new JsonObject().put("inputs", new JsonArray().add(new JsonObject().put("name", "X")
                .put("datatype", "FP32").put("shape", new JsonArray().add(1).add(SIZE)).put("data", data)));
    }

    private static void assertAnswerOf(ModelRecord model, HttpResponse<Buffer> response) {
        JsonObject json = response.bodyAsJsonObject();
        assertEquals(model.name(), json.getString("model_name"));
        assertEquals(SIZE, json.getJsonArray("outputs").getJsonObject(0).getJsonArray("data").size());
    }

    private static String warning(ILoggingEvent event) {
        IThrowableProxy stack = event.getThrowableProxy();
        return stack == null ? event.getFormattedMessage()
                : event.getFormattedMessage() + "\n" + ThrowableProxyUtil.asString(stack);
    }

    private double count(String name, String tier) {
        Counter counter = registry.find(name).tag("tier", tier).counter();
        return counter == null ? 0 : counter.count();
    }
}
