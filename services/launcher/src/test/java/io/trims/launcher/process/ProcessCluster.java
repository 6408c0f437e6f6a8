package io.trims.launcher.process;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.trims.objectstore.embedded.EmbeddedS3Server;
import io.trims.testmodels.OnnxModels;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * A trims cluster of real processes on this machine: an S3 server in this JVM, a placement process and agents,
 * each a JVM of its own joined in a Hazelcast cluster of a fresh name, and a Hazelcast client here that reads and
 * clears the directory's maps as an operator (or a fault) would. Roles can be stopped, frozen, killed and started
 * again under the same name, cache directory and settings.
 */
final class ProcessCluster implements AutoCloseable {

    static final int IN = 16;
    static final int OUT = 16;
    static final Pattern PLACEMENT_READY = Pattern.compile("placement and registry serving at ([^,\\s]+)");
    static final Pattern AGENT_READY = Pattern.compile("trims agent \\S+ serving at (\\S+)");
    private static final Duration START_PATIENCE = Duration.ofSeconds(90);
    private static final int HZ_PORTS = 8;

    private final Path work;
    private final EmbeddedS3Server s3;
    private final Map<String, String> common = new HashMap<>();
    /** The front door's admin key: uploads are writes. */
    private final String adminKey = UUID.randomUUID().toString().replace("-", "");
    private final Map<String, String> placementEnv = new HashMap<>();
    private final Map<String, ChildJvm> running = new HashMap<>();
    private final List<ChildJvm> all = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HazelcastInstance client;
    private String frontDoor;

    /** @param placementEnv more settings of the placement process */
    ProcessCluster(Path work, Map<String, String> placementEnv) throws IOException {
        this.work = work;
        this.s3 = new EmbeddedS3Server(work.resolve("s3"), 0, "trims", "trims-secret").start();
        common.put("TRIMS_S3_ENDPOINT", s3.endpoint());
        common.put("TRIMS_S3_ACCESS_KEY", "trims");
        common.put("TRIMS_S3_SECRET_KEY", "trims-secret");
        common.put("TRIMS_S3_BUCKET", "trims-models");
        common.put("TRIMS_CLUSTER", "trims-process-test-" + UUID.randomUUID().toString().substring(0, 8));
        common.put("TRIMS_HZ_PORT", Integer.toString(freePort()));
        common.put("TRIMS_HZ_PORT_COUNT", Integer.toString(HZ_PORTS));
        common.put("TRIMS_HZ_MEMBERS", "127.0.0.1");
        common.put("TRIMS_BIND_ADDRESS", "127.0.0.1");
        common.put("TRIMS_GPU_ENABLED", "false");
        common.put("TRIMS_SERVICES_INSTANCES", "1");
        common.put("TRIMS_GRPC_PORT", "0");
        common.put("TRIMS_CLUSTER_SECRET", UUID.randomUUID() + "-" + UUID.randomUUID());
        common.put("TRIMS_ADMIN_KEY", adminKey);
        // Reads and inference open, as on a trusted network: these tests are about faults, not keys.
        common.put("TRIMS_AUTH_OPEN", "reads");
        // One port for every run of placement, so clients reach a restarted front door where they left it.
        this.placementEnv.put("TRIMS_PORT", Integer.toString(freePort()));
        this.placementEnv.put("TRIMS_GRPC_PORT", Integer.toString(freePort()));
        this.placementEnv.putAll(placementEnv);
    }

    /** Starts (or starts again) the placement process; returns the front door's URL once it serves. */
    String startPlacement() throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(common);
        env.put("TRIMS_ROLE", "placement");
        env.put("TRIMS_REGISTRY_TMP_DIR", work.resolve("uploads").toString());
        env.putAll(placementEnv);
        ChildJvm placement = launch("placement", env);
        frontDoor = placement.awaitLine(PLACEMENT_READY, START_PATIENCE).replaceAll("/+$", "");
        if (client == null) {
            client = HazelcastClient.newHazelcastClient(clientConfig());
        }
        return frontDoor;
    }

    /** Starts (or starts again) agent {@code host} with its own cache directory; returns its URL once it serves. */
    String startAgent(String host, Map<String, String> extra) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(common);
        env.put("TRIMS_ROLE", "agent");
        env.put("TRIMS_HOST", host);
        env.put("TRIMS_AGENT_PORT", "0");
        env.put("TRIMS_CACHE_DIR", work.resolve("cache").resolve(host).toString());
        env.put("TRIMS_CPU_BUDGET_BYTES", Long.toString(64L << 20));
        env.put("TRIMS_INFER_THREADS", "2");
        env.putAll(extra);
        return launch(host, env).awaitLine(AGENT_READY, START_PATIENCE);
    }

    private ChildJvm launch(String role, Map<String, String> env) throws IOException {
        ChildJvm jvm = ChildJvm.start(role, work.resolve("run").resolve(role), env);
        running.put(role, jvm);
        all.add(jvm);
        return jvm;
    }

    private ClientConfig clientConfig() {
        ClientConfig config = new ClientConfig();
        config.setClusterName(common.get("TRIMS_CLUSTER"));
        config.setProperty("hazelcast.logging.type", "slf4j");
        int first = Integer.parseInt(common.get("TRIMS_HZ_PORT"));
        for (int port = first; port < first + HZ_PORTS; port++) {
            config.getNetworkConfig().addAddress("127.0.0.1:" + port);
        }
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(60_000);
        return config;
    }

    ChildJvm role(String name) {
        return running.get(name);
    }

    String frontDoor() {
        return frontDoor;
    }

    /** The front door's gRPC port, the same for every run of placement. */
    int grpcPort() {
        return Integer.parseInt(placementEnv.get("TRIMS_GRPC_PORT"));
    }

    /** Where the S3 server keeps the objects under {@code prefix} (its filesystem store: bucket, then key). */
    Path objects(String prefix) {
        return work.resolve("s3").resolve(common.get("TRIMS_S3_BUCKET")).resolve(prefix);
    }

    /** The registry's spool directory for uploads under way. */
    Path spool() {
        return work.resolve("uploads");
    }

    /** The host names the directory's host map holds now (keys only: no record is deserialised here). */
    Set<String> hostRecords() {
        return Set.copyOf(client.<String, Object>getMap("trims-hosts").keySet());
    }

    /** The residency keys ({@code host|model:version|tier}) of {@code host} the directory holds now. */
    Set<String> residencies(String host) {
        return client.<String, Object>getMap("trims-residencies").keySet().stream()
                .filter(k -> k.startsWith(host + "|")).collect(java.util.stream.Collectors.toSet());
    }

    void clearDirectory() {
        client.getMap("trims-residencies").clear();
        client.getMap("trims-hosts").clear();
        client.getMap("trims-host-stats").clear();
    }

    /** How many hosts the front door's readiness counts now; -1 when it does not answer. */
    int readyHosts() {
        try {
            HttpResponse<String> answer = get("/v2/health/ready");
            return new JsonObject(answer.body()).getInteger("hosts", -1);
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(frontDoor + path)).timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> upload(String model, byte[] bytes) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(frontDoor + "/v1/models/" + model + "/versions/1"))
                .timeout(Duration.ofSeconds(60)).header("content-type", "application/octet-stream")
                .header("authorization", "Bearer " + adminKey)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String adminKey() {
        return adminKey;
    }

    byte[] model(long seed) {
        return OnnxModels.matMulAdd(IN, OUT, seed);
    }

    HttpResponse<String> infer(String model) throws IOException, InterruptedException {
        return http.send(inferRequest(model), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest inferRequest(String model) {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < IN; i++) {
            data.append(i == 0 ? "" : ",").append(i * 0.25);
        }
        String body = "{\"inputs\":[{\"name\":\"X\",\"datatype\":\"FP32\",\"shape\":[1," + IN + "],\"data\":["
                + data + "]}]}";
        return HttpRequest.newBuilder(URI.create(frontDoor + "/v2/models/" + model + "/infer"))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    HttpClient http() {
        return http;
    }

    /** Polls until {@code condition} holds; the milliseconds it took. Fails after {@code patience}. */
    static long within(Duration patience, String what, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + patience.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** The lines of every process's log (all runs) that match {@code pattern}: what a test reports of their work. */
    List<String> logLines(Pattern pattern) throws IOException {
        List<String> lines = new ArrayList<>();
        for (ChildJvm jvm : all) {
            for (String line : jvm.logText().split("\n")) {
                if (pattern.matcher(line).find()) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    /** Every JVM crash report any process of this cluster left. */
    List<Path> crashReports() throws IOException {
        List<Path> reports = new ArrayList<>();
        for (ChildJvm jvm : running.values()) {
            reports.addAll(jvm.crashReports());
        }
        return reports;
    }

    @Override
    public void close() {
        if (client != null) {
            client.shutdown();
        }
        all.forEach(ChildJvm::close);
        s3.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
