package io.trims.launcher;

import com.hazelcast.core.HazelcastInstance;
import io.trims.agent.Agent;
import io.trims.agent.AgentConfig;
import io.trims.protocol.http.Metrics;
import io.trims.objectstore.MinioObjectStore;
import io.trims.objectstore.StoreConfig;
import io.trims.objectstore.embedded.ObjectStores;
import io.trims.directory.DirectoryConfig;
import io.trims.directory.DirectoryMember;
import io.trims.directory.RecordSigner;
import io.trims.directory.TierDirectory;
import io.trims.launcher.cli.Cli;
import io.vertx.core.Vertx;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The trims command: {@code trims [embedded|placement|registry|agent|demo]} (or TRIMS_ROLE; default embedded).
 * The embedded role runs a whole cluster in this JVM and its demo; the others are one part of a cluster each,
 * configured by environment variables, and need TRIMS_S3_ENDPOINT.
 */
public final class Launcher {

    private static final String USAGE = """
            usage: trims [embedded|placement|registry|agent|demo]   (or TRIMS_ROLE; default embedded)
                   trims upload|models|infer|health ...                (a client of TRIMS_URL, default http://localhost:8080)
              embedded   the whole cluster in this JVM: S3, registry + placement on TRIMS_PORT (8080), two agents, then a demo
              placement  the front door and the registry on TRIMS_PORT (8080)
              registry   the registry only, on TRIMS_PORT (8080)
              agent      one agent on TRIMS_AGENT_PORT (8081)
              demo       upload the demo models to TRIMS_URL (http://localhost:8080) and infer through it
            placement, registry and agent need TRIMS_S3_ENDPOINT; see the README for every variable.
            client commands:
            """ + Cli.USAGE;

    private Launcher() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        String role = (args.length > 0 ? args[0] : env.getOrDefault("TRIMS_ROLE", "embedded")).toLowerCase(Locale.ROOT);
        try {
            switch (role) {
                case "embedded" -> embedded(env, System.out);
                case "placement" -> services(env, true);
                case "registry" -> services(env, false);
                case "agent" -> agent(env);
                case "demo" -> new Demo(clientUrl(env), env.get("TRIMS_API_KEY"), System.out)
                        .run(requests(env));
                case "upload", "models", "infer", "health", "key" -> System.exit(new Cli(clientUrl(env),
                        env.get("TRIMS_API_KEY"), System.out)
                        .run(role, Arrays.asList(args).subList(Math.min(1, args.length), args.length)));
                case "help", "-h", "--help" -> System.out.println(USAGE);
                default -> {
                    System.err.println("trims: unknown role '" + role + "'\n" + USAGE);
                    System.exit(2);
                }
            }
        } catch (Exception e) {
            System.err.println("trims " + role + ": " + e);
            System.exit(1);
        }
    }

    private static void embedded(Map<String, String> env, PrintStream out) throws Exception {
        EmbeddedCluster cluster = EmbeddedCluster.start(env);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "trims-shutdown"));
        out.println();
        out.println("trims embedded cluster is up");
        out.println("  registry + placement  " + cluster.url() + "   (Prometheus metrics at /metrics)");
        out.println("  gRPC (KServe v2)      localhost:" + cluster.grpcPort());
        for (Agent agent : cluster.agents()) {
            out.printf("  %-20s  %s   (cache %s)%n", "agent " + agent.host(), agent.endpoint(), agent.config().cacheDir());
        }
        out.println("  object storage        embedded S3 on " + cluster.dataDir().resolve("s3"));
        if (cluster.adminKeyGenerated()) {
            // Printed once, here, and nowhere else: only its hash is kept.
            out.println("  admin key             " + cluster.adminKey() + "   (uploads and deletes need it; set TRIMS_ADMIN_KEY to choose it)");
        }
        out.println();
        if (!"false".equalsIgnoreCase(env.getOrDefault("TRIMS_DEMO", "true"))) {
            try {
                new Demo(URI.create(cluster.url()), cluster.adminKey(), out).run(requests(env));
            } catch (Exception e) {
                out.println("demo failed: " + e.getMessage() + " (the cluster keeps serving)");
            }
            out.println();
        }
        printExamples(out, cluster.url(), cluster.adminKeyGenerated() ? cluster.adminKey() : "$TRIMS_ADMIN_KEY");
        new CountDownLatch(1).await();
    }

    private static void printExamples(PrintStream out, String url, String adminKey) {
        String model = Demo.MODELS.get(0).name();
        out.println("Try it:");
        out.println("  curl -s " + url + "/v1/models");
        out.println("  curl -s " + url + "/v2/models/" + model);
        out.println("  curl -s -i " + url + "/v2/models/" + model + "/infer -H 'content-type: application/json' -d '"
                + "{\"inputs\":[{\"name\":\"input_ids\",\"datatype\":\"INT64\",\"shape\":[1,4],\"data\":[101,7592,2088,102]},"
                + "{\"name\":\"attention_mask\",\"datatype\":\"INT64\",\"shape\":[1,4],\"data\":[1,1,1,1]},"
                + "{\"name\":\"token_type_ids\",\"datatype\":\"INT64\",\"shape\":[1,4],\"data\":[0,0,0,0]}]}'");
        out.println("  curl -s -T my-model.onnx -H 'Authorization: Bearer " + adminKey + "' " + url
                + "/v1/models/my-model/versions/1");
        out.println("  curl -s " + url + "/metrics | grep '^trims_'");
        out.println("Serving until Ctrl-C.");
    }

    /** placement or registry: the services of one process, on a cluster configured by the environment. */
    private static void services(Map<String, String> env, boolean placement) throws Exception {
        requireExternalStore(env);
        Resources resources = new Resources();
        try {
            Part part = Part.join(env, resources);
            int port = Integer.parseInt(env.getOrDefault("TRIMS_PORT", "8080"));
            ServicesNode.Started server = ServicesNode.start(part.vertx(), part.directory(), part.store(),
                    part.metrics().registry(), env, placement, port, resources);
            System.out.println("trims " + (placement ? "placement and registry" : "registry") + " serving at "
                    + server.url() + (server.grpcPort() >= 0 ? ", gRPC on port " + server.grpcPort() : ""));
            if (server.generatedAdminKey() != null) {
                System.out.println("admin key (TRIMS_ADMIN_KEY was unset; give every services process the same one): "
                        + server.generatedAdminKey());
            }
        } catch (Exception e) {
            resources.close();
            throw e;
        }
        serveUntilStopped(resources);
    }

    private static void agent(Map<String, String> env) throws Exception {
        requireExternalStore(env);
        Resources resources = new Resources();
        try {
            Part part = Part.join(env, resources);
            Agent agent = Resources.await(Agent.start(part.vertx(), AgentConfig.fromEnv(env), part.directory(),
                    part.store(), part.metrics().registry()), Duration.ofSeconds(60));
            Duration grace = Resources.grace(env);
            resources.onClose("agent " + agent.host(), () -> Resources.awaitClosed(agent.stop(grace), grace));
            System.out.println("trims agent " + agent.host() + " serving at " + agent.endpoint());
        } catch (Exception e) {
            resources.close();
            throw e;
        }
        serveUntilStopped(resources);
    }

    private static void serveUntilStopped(Resources resources) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(resources::close, "trims-shutdown"));
        new CountDownLatch(1).await();
    }

    private static void requireExternalStore(Map<String, String> env) {
        if (StoreConfig.fromEnv(env).isEmbedded()) {
            throw new IllegalArgumentException("TRIMS_S3_ENDPOINT must be set outside the embedded role");
        }
    }

    /** The front door a client command or the demo role talks to. */
    private static URI clientUrl(Map<String, String> env) {
        return URI.create(env.getOrDefault("TRIMS_URL", "http://localhost:8080"));
    }

    private static int requests(Map<String, String> env) {
        return Integer.parseInt(env.getOrDefault("TRIMS_DEMO_REQUESTS", "3"));
    }

    /** What every single-role process has: the object store, metrics, Vert.x, and a Hazelcast member. */
    private record Part(MinioObjectStore store, Metrics metrics, Vertx vertx, TierDirectory directory) {

        static Part join(Map<String, String> env, Resources resources) throws Exception {
            // Settings first, so that a missing one is told before anything starts.
            DirectoryConfig cluster = DirectoryConfig.fromEnv(env);
            RecordSigner signer = RecordSigner.fromEnv(env);
            MinioObjectStore store = ObjectStores.open(StoreConfig.fromEnv(env));
            resources.onClose("object store", store::close);
            Metrics metrics = Metrics.create();
            resources.onClose("metrics", metrics::close);
            Vertx vertx = Vertx.vertx();
            resources.onClose("vert.x", () -> Resources.awaitClosed(vertx.close()));
            HazelcastInstance member = DirectoryMember.start(cluster, signer);
            resources.onClose("hazelcast member", member::shutdown);
            TierDirectory directory = new TierDirectory(member);
            resources.onClose("directory", directory::close);
            return new Part(store, metrics, vertx, directory);
        }
    }
}
