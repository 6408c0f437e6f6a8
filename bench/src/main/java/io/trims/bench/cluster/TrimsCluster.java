package io.trims.bench.cluster;

import io.trims.directory.RecordSigner;

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
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A real trims cluster on this machine, one process per role: the front door with the registry
 * ({@code TRIMS_ROLE=placement}) and agents ({@code TRIMS_ROLE=agent}), each a {@code java -jar trims.jar} of its
 * own, joined in a Hazelcast cluster of a fresh name on a fresh port, against the S3 server the benchmark runs.
 * Every agent starts with an empty cache directory, so a system starts cold.
 */
public final class TrimsCluster implements AutoCloseable {

    private static final Pattern PLACEMENT_READY = Pattern.compile("placement and registry serving at ([^,\\s]+)");
    private static final Pattern AGENT_READY = Pattern.compile("trims agent \\S+ serving at (\\S+)");
    private static final Duration START_PATIENCE = Duration.ofSeconds(120);

    /** Where the cluster's processes find object storage. */
    public record Store(String endpoint, String accessKey, String secretKey, String bucket) {}

    /**
     * What the processes of one cluster are told.
     *
     * @param env more environment for every process of the cluster (a forward timeout, say)
     */
    public record Config(String name, String placement, String eviction, BenchSettings.Budgets budgets,
                         int agents, BenchSettings.Heaps heaps, Path work, Map<String, String> env) {

        public Config {
            env = Map.copyOf(env);
        }

        public Config(String name, String placement, String eviction, BenchSettings.Budgets budgets, int agents,
                      BenchSettings.Heaps heaps, Path work) {
            this(name, placement, eviction, budgets, agents, heaps, work, Map.of());
        }
    }

    private final List<ChildProcess> processes = new ArrayList<>();
    private final List<String> agentUrls = new ArrayList<>();
    private final List<ChildProcess> agents = new ArrayList<>();
    private ChildProcess placement;
    private String frontDoor;
    private String agentKey;
    /** The admin key of this run's front door: uploads and deletes need it. */
    private final String adminKey = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");

    private TrimsCluster() {
    }

    /** Placement only, no agents: enough to register models. */
    public static TrimsCluster registryOnly(Launch launch, Store store, Path work, String heap) throws Exception {
        Config config = new Config("registration", null, null, null, 0, null, work);
        TrimsCluster cluster = new TrimsCluster();
        try {
            cluster.begin(launch, store, config, heap);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Starts the front door and the agents, returns once every agent is in the front door's directory. */
    public static TrimsCluster start(Launch launch, Store store, Config config) throws Exception {
        TrimsCluster cluster = new TrimsCluster();
        try {
            cluster.begin(launch, store, config, config.heaps().placement());
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void begin(Launch launch, Store store, Config config, String placementHeap) throws Exception {
        long started = System.nanoTime();
        Map<String, String> common = new HashMap<>();
        common.put("TRIMS_S3_ENDPOINT", store.endpoint());
        common.put("TRIMS_S3_ACCESS_KEY", store.accessKey());
        common.put("TRIMS_S3_SECRET_KEY", store.secretKey());
        common.put("TRIMS_S3_BUCKET", store.bucket());
        common.put("TRIMS_CLUSTER", "trims-bench-" + config.name() + "-" + UUID.randomUUID().toString().substring(0, 8));
        common.put("TRIMS_CLUSTER_SECRET", UUID.randomUUID().toString() + UUID.randomUUID());
        agentKey = RecordSigner.fromEnv(common).agentKey();
        common.put("TRIMS_ADMIN_KEY", adminKey);
        // Reads and inference open, as on a trusted network: the benchmarks measure serving, not keys.
        common.put("TRIMS_AUTH_OPEN", "reads");
        common.put("TRIMS_HZ_PORT", Integer.toString(freePort()));
        common.put("TRIMS_HZ_MEMBERS", "127.0.0.1");
        // Every process is a member on this machine: each takes a free port of this run, and joins only those.
        common.put("TRIMS_HZ_PORT_COUNT", Integer.toString(config.agents() + 1));
        common.put("TRIMS_BIND_ADDRESS", "127.0.0.1");
        common.put("TRIMS_GPU_ENABLED", "false");
        common.putAll(config.env());

        Map<String, String> placementEnv = new HashMap<>(common);
        placementEnv.put("TRIMS_ROLE", "placement");
        placementEnv.put("TRIMS_PORT", "0");
        placementEnv.put("TRIMS_REGISTRY_TMP_DIR", config.work().resolve("uploads").toString());
        if (config.placement() != null) {
            placementEnv.put("TRIMS_PLACEMENT_POLICY", config.placement());
        }
        // Placement and agents start together: each joins Hazelcast on its own, none needs another to be up.
        placement = ChildProcess.start(config.name() + " placement", launch.trims(placementHeap),
                placementEnv, config.work().resolve("logs/placement.log"));
        processes.add(placement);
        for (int i = 1; i <= config.agents(); i++) {
            Map<String, String> env = new HashMap<>(common);
            String host = agentHost(i - 1);
            env.put("TRIMS_ROLE", "agent");
            env.put("TRIMS_HOST", host);
            env.put("TRIMS_AGENT_PORT", "0");
            env.put("TRIMS_CACHE_DIR", config.work().resolve("cache").resolve(host).toString());
            env.put("TRIMS_CPU_BUDGET_BYTES", Long.toString(config.budgets().cpuBytes()));
            env.put("TRIMS_DISK_BUDGET_BYTES", Long.toString(config.budgets().diskBytes()));
            if (config.eviction() != null) {
                env.put("TRIMS_EVICTION_POLICY", config.eviction());
            }
            ChildProcess agent = ChildProcess.start(config.name() + " " + host, launch.trims(config.heaps().agent()),
                    env, config.work().resolve("logs/" + host + ".log"));
            processes.add(agent);
            agents.add(agent);
        }
        frontDoor = placement.awaitLine(PLACEMENT_READY, START_PATIENCE).replaceAll("/+$", "");
        for (ChildProcess agent : agents) {
            agentUrls.add(agent.awaitLine(AGENT_READY, START_PATIENCE).replaceAll("/+$", ""));
        }
        if (config.agents() > 0) {
            awaitHosts(config.agents());
        }
        System.out.printf(java.util.Locale.ROOT, "cluster %s: front door and %d agents up in %.1f s%n", config.name(),
                config.agents(), (System.nanoTime() - started) / 1e9);
    }

    /** Polls the front door's readiness until it counts every agent. */
    private void awaitHosts(int expected) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_PATIENCE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(frontDoor + "/v2/health/ready"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                last = answer.body();
                if (answer.statusCode() == 200 && last.contains("\"hosts\":" + expected)) {
                    return;
                }
            } catch (java.net.http.HttpTimeoutException e) {
                // A front door still starting on a busy machine may be slow to answer: ask again until the patience ends.
                last = "(no answer within 5 s)";
            }
            Thread.sleep(200);
        }
        throw new IOException("the front door did not see " + expected + " agents within "
                + START_PATIENCE.toSeconds() + " s; it says " + last);
    }

    public String frontDoor() {
        return frontDoor;
    }

    /** What an agent's v2 API asks of its callers (the trims-cluster-key header), derived from this run's secret. */
    public String agentKey() {
        return agentKey;
    }

    public String adminKey() {
        return adminKey;
    }

    public List<String> agentUrls() {
        return List.copyOf(agentUrls);
    }

    /** The front door's process (with the registry). */
    public ChildProcess placementProcess() {
        return placement;
    }

    /** The agents' processes, in start order: agent-1 first. */
    public List<ChildProcess> agentProcesses() {
        return List.copyOf(agents);
    }

    /** The directory name of the agent at {@code index} (0 is agent-1). */
    public static String agentHost(int index) {
        return "agent-" + (index + 1);
    }

    /** Stops every process at once (the whole cluster goes), then waits for each. */
    @Override
    public void close() {
        processes.forEach(ChildProcess::stopAsync);
        processes.forEach(ChildProcess::close);
        processes.clear();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
