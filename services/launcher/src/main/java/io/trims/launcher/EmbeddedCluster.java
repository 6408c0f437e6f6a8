package io.trims.launcher;

import com.hazelcast.core.HazelcastInstance;
import io.trims.agent.Agent;
import io.trims.agent.AgentConfig;
import io.trims.protocol.http.Metrics;
import io.trims.objectstore.MinioObjectStore;
import io.trims.objectstore.StoreConfig;
import io.trims.objectstore.embedded.ObjectStores;
import io.trims.directory.LocalMembers;
import io.trims.directory.TierDirectory;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A whole trims cluster in one JVM: an S3 server on a local directory (spoken to only through the MinIO client),
 * registry and placement on one port, and agents on the next ports. The services and every agent are each their
 * own Hazelcast member and have their own metrics registry, as separate processes would, so an agent's records leave
 * the directory with it and each port's {@code /metrics} serves that role's series only.
 *
 * <p>Reads TRIMS_DATA_DIR ({@code data}: objects in {@code s3/}, agent caches in {@code cache/<host>/}),
 * TRIMS_PORT (8080; agents take the next ones; 0 = any free port for all), TRIMS_AGENTS (2), TRIMS_CLUSTER (a
 * fresh name per run, so two embedded clusters on one machine never merge), TRIMS_BIND_ADDRESS (127.0.0.1: every
 * HTTP server and Hazelcast member listens on loopback only), TRIMS_AUTH_OPEN ({@code reads} on loopback: reads and
 * inference need no key there; {@code none} on any other address), TRIMS_ADMIN_KEY (made up at start when unset:
 * {@link #adminKey()}), the Hazelcast settings ({@link LocalMembers}: a port
 * per member from TRIMS_HZ_PORT), and passes the rest of the environment to the store, front door, registry and
 * agents.
 */
public final class EmbeddedCluster implements AutoCloseable {

    private static final Duration START_PATIENCE = Duration.ofSeconds(60);

    private final Resources resources = new Resources();
    private final List<Agent> agents = new ArrayList<>();
    private ServicesNode.Started server;
    private Path dataDir;
    private String adminKey;

    private EmbeddedCluster() {
    }

    /** Blocking; on failure whatever had started is closed again. */
    public static EmbeddedCluster start(Map<String, String> env) throws Exception {
        EmbeddedCluster cluster = new EmbeddedCluster();
        try {
            cluster.begin(env);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void begin(Map<String, String> given) throws Exception {
        Map<String, String> env = new HashMap<>(given);
        env.putIfAbsent("TRIMS_BIND_ADDRESS", "127.0.0.1");
        String bind = env.get("TRIMS_BIND_ADDRESS");
        // On loopback only this machine's users reach it: reads and inference stay open, as before keys existed.
        env.putIfAbsent("TRIMS_AUTH_OPEN", isLoopback(bind) ? "reads" : "none");
        dataDir = Path.of(env.getOrDefault("TRIMS_DATA_DIR", "data"));
        int port = Integer.parseInt(env.getOrDefault("TRIMS_PORT", "8080"));
        int agentCount = Integer.parseInt(env.getOrDefault("TRIMS_AGENTS", "2"));
        // One Hazelcast member for the services and one per agent, on ports reserved now for all of them.
        LocalMembers members = LocalMembers.reserve(
                env.getOrDefault("TRIMS_CLUSTER", "trims-embedded-" + UUID.randomUUID()), agentCount + 1, env);
        resources.onClose("hazelcast ports", members::close);

        Map<String, String> storeEnv = new HashMap<>(env);
        storeEnv.putIfAbsent("TRIMS_S3_DATA_DIR", dataDir.resolve("s3").toString());
        storeEnv.putIfAbsent("TRIMS_S3_PORT", "0");
        MinioObjectStore store = ObjectStores.open(StoreConfig.fromEnv(storeEnv));
        resources.onClose("object store", store::close);

        // The services' registry; it also carries the JVM's meters, once for the whole embedded cluster.
        Metrics metrics = Metrics.create();
        resources.onClose("metrics", metrics::close);
        Vertx vertx = Vertx.vertx();
        resources.onClose("vert.x", () -> Resources.awaitClosed(vertx.close()));

        TierDirectory directory = join(members, "services");
        Map<String, String> servicesEnv = new HashMap<>(env);
        // gRPC on the port after the agents' (8083 by default); any free port when TRIMS_PORT is 0.
        servicesEnv.putIfAbsent("TRIMS_GRPC_PORT", Integer.toString(port == 0 ? 0 : port + agentCount + 1));
        server = ServicesNode.start(vertx, directory, store, metrics.registry(), servicesEnv, true, port, resources);
        adminKey = server.generatedAdminKey() != null ? server.generatedAdminKey() : env.get("TRIMS_ADMIN_KEY").trim();

        for (int i = 1; i <= agentCount; i++) {
            Map<String, String> agentEnv = new HashMap<>(env);
            String host = "agent-" + i;
            agentEnv.put("TRIMS_HOST", host);
            agentEnv.put("TRIMS_AGENT_PORT", Integer.toString(port == 0 ? 0 : port + i));
            agentEnv.put("TRIMS_ADVERTISE_ADDRESS", "0.0.0.0".equals(bind) ? "127.0.0.1" : bind);
            agentEnv.put("TRIMS_CACHE_DIR", dataDir.resolve("cache").resolve(host).toString());
            TierDirectory agentDirectory = join(members, host);
            // Its own registry, served on its own port only, as in a process of its own.
            Metrics agentMetrics = Metrics.withoutProcessMeters();
            resources.onClose("metrics of " + host, agentMetrics::close);
            Agent agent = Resources.await(Agent.start(vertx, AgentConfig.fromEnv(agentEnv), agentDirectory, store,
                    agentMetrics.registry()), START_PATIENCE);
            Duration grace = Resources.grace(env);
            resources.onClose(host, () -> Resources.awaitClosed(agent.stop(grace), grace));
            agents.add(agent);
        }
    }

    private static boolean isLoopback(String bind) {
        return bind.startsWith("127.") || "localhost".equalsIgnoreCase(bind) || "::1".equals(bind);
    }

    /** A Hazelcast member and the directory on it, closed with the cluster. */
    private TierDirectory join(LocalMembers members, String who) {
        HazelcastInstance member = members.start();
        resources.onClose("hazelcast member of " + who, member::shutdown);
        TierDirectory directory = new TierDirectory(member);
        resources.onClose("directory of " + who, directory::close);
        return directory;
    }

    /** Base URL of the front door and registry. */
    public String url() {
        return server.url();
    }

    /** The port of the front door's gRPC endpoint (TRIMS_GRPC_PORT; by default the one after the agents'). */
    public int grpcPort() {
        return server.grpcPort();
    }

    /** The admin key: TRIMS_ADMIN_KEY, or the one made up at start. Registering and deleting need it. */
    public String adminKey() {
        return adminKey;
    }

    /** Whether {@link #adminKey()} was made up at start (and must be told to whoever started the cluster). */
    public boolean adminKeyGenerated() {
        return server.generatedAdminKey() != null;
    }

    public List<Agent> agents() {
        return List.copyOf(agents);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the agents (their records leave the directory), then the services, Hazelcast, Vert.x and S3. */
    @Override
    public void close() {
        resources.close();
    }
}
