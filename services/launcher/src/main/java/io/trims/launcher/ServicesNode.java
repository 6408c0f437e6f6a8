package io.trims.launcher;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trims.directory.CatalogueView;
import io.trims.directory.LiveDirectory;
import io.trims.directory.TierDirectory;
import io.trims.objectstore.ObjectStore;
import io.trims.placement.FrontDoor;
import io.trims.placement.FrontDoorConfig;
import io.trims.placement.GrpcFrontDoor;
import io.trims.policy.placement.PlacementPolicies;
import io.trims.protocol.http.DirectoryMeters;
import io.trims.protocol.http.Drain;
import io.trims.protocol.auth.Auth;
import io.trims.protocol.auth.AuthConfig;
import io.trims.protocol.auth.AuthGate;
import io.trims.protocol.http.ServerTimeouts;
import io.trims.registry.RegistryConfig;
import io.trims.registry.RegistryRoutes;
import io.vertx.core.Vertx;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The services of one process on one port: the registry ({@code /v1/models}) and, unless it is a registry-only
 * process, the placement front door ({@code /v2}), served by TRIMS_SERVICES_INSTANCES server instances; the front
 * door's gRPC endpoint listens on TRIMS_GRPC_PORT (8001). Both edges admit requests by the API keys and rules of
 * {@link AuthConfig} (an {@link AuthGate} ahead of every HTTP route). Everything it starts is handed to
 * {@code resources} to close.
 */
final class ServicesNode {

    private static final Logger LOG = LoggerFactory.getLogger(ServicesNode.class);

    /**
     * Server instances by default: one per core. The front door's work per request is now a lookup in memory and
     * a copy of bytes, all on its event loop, so an instance per core lets a placement process use every core;
     * more would only queue on the same cores.
     */
    static final int DEFAULT_INSTANCES = Runtime.getRuntime().availableProcessors();

    private ServicesNode() {
    }

    /**
     * What a services process serves: the HTTP server and, with the front door, its gRPC port (-1 without);
     * {@code generatedAdminKey} is the admin key made up at start (TRIMS_ADMIN_KEY unset), null otherwise.
     */
    record Started(ServicesServer.Serving http, int grpcPort, String generatedAdminKey) {
        String url() {
            return http.url();
        }
    }

    /** Blocking: returns the servers once they listen and the registry has restored its catalogue. */
    static Started start(Vertx vertx, TierDirectory directory, ObjectStore store,
                                        PrometheusMeterRegistry meters, Map<String, String> env, boolean placement,
                                        int port, Resources resources) throws Exception {
        int instances = instances(env);
        Duration grace = Resources.grace(env);
        Drain drain = new Drain(placement ? "placement" : "the registry");
        List<ServicesServer.Part> parts = new ArrayList<>();
        parts.add(drain::mount);
        GrpcFrontDoor grpc = null;
        Auth auth = new Auth(AuthConfig.fromEnv(env));
        parts.add(router -> {
            AuthGate.install(router, auth);
            return () -> { };
        });
                RegistryConfig registryConfig = RegistryConfig.fromEnv(env);
        RegistryRoutes registry = RegistryRoutes.create(vertx, store, directory, registryConfig, meters);
        DirectoryMeters.bind(meters, directory);
        // Closed after the server: an upload still streaming has failed with its connection, one being stored ends.
        resources.onClose("uploads under way", () -> {
            int left = Resources.await(registry.uploadsFinished(grace), grace.plusSeconds(5));
            if (left > 0) {
                LOG.warn("{} uploads still under way after {} s", left, grace.toSeconds());
            }
        });
        parts.add(router -> {
            registry.mount(router);
            return () -> { };
        });
        if (placement) {
            CatalogueView catalogue = CatalogueView.open(directory);
            resources.onClose("catalogue view", catalogue::close);
            LiveDirectory live = LiveDirectory.open(directory);
            resources.onClose("live directory", live::close);
            FrontDoor frontDoor = new FrontDoor(vertx, directory, catalogue, live, PlacementPolicies.fromEnv(env),
                    meters, FrontDoorConfig.fromEnv(env));
            resources.onClose("front door", frontDoor::close);
            parts.add(frontDoor::mount);
            grpc = GrpcFrontDoor.start(vertx, frontDoor, auth, env.get("TRIMS_BIND_ADDRESS"),
                    GrpcFrontDoor.port(env, GrpcFrontDoor.DEFAULT_PORT));
            resources.onClose("gRPC front door on port " + grpc.port(), grpc::close);
        }
        ServicesServer.Serving server = Resources.await(ServicesServer.deploy(vertx, instances, bindAddress(env), port, meters, parts,
                        ServerTimeouts.fromEnv(env)),
                Duration.ofSeconds(30));
        resources.onClose("services server on port " + server.port(), () -> Resources.awaitClosed(server.close()));
        // Closed first: new requests get 503 (gRPC calls UNAVAILABLE) while those under way, uploads among them, have
        // the grace to finish.
        GrpcFrontDoor grpcEdge = grpc;
        resources.onClose("requests under way", () -> {
            long start = System.nanoTime();
            if (grpcEdge != null) {
                grpcEdge.beginDrain();
            }
            int left = Resources.await(drain.awaitIdle(vertx, grace), grace.plusSeconds(5));
            int callsLeft = grpcEdge == null ? 0 : Resources.await(
                    grpcEdge.awaitDrained(grace.minusNanos(System.nanoTime() - start)), grace.plusSeconds(5));
            LOG.info("drained in {} ms, {} requests and {} gRPC calls left", (System.nanoTime() - start) / 1_000_000,
                    left, callsLeft);
        });
        Resources.await(registry.restore(), Duration.ofSeconds(60));
        AutoCloseable repair = registry.repairCatalogue(registryConfig.catalogueRepairMillis());
        resources.onClose("catalogue repair", repair::close);
        return new Started(server, grpc == null ? -1 : grpc.port(), auth.config().generatedAdminKey());
    }

    /**
     * TRIMS_BIND_ADDRESS: the address the HTTP server listens on; every interface (0.0.0.0) when unset, as the
     * separate roles run in containers (the embedded cluster sets 127.0.0.1).
     */
    static String bindAddress(Map<String, String> env) {
        String value = env.get("TRIMS_BIND_ADDRESS");
        return value == null || value.isBlank() ? "0.0.0.0" : value.trim();
    }

    /** TRIMS_SERVICES_INSTANCES, a positive number; {@link #DEFAULT_INSTANCES} when unset. */
    static int instances(Map<String, String> env) {
        String value = env.get("TRIMS_SERVICES_INSTANCES");
        if (value == null || value.isBlank()) {
            return DEFAULT_INSTANCES;
        }
        int instances;
        try {
            instances = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            instances = 0;
        }
        if (instances > 0) {
            return instances;
        }
        throw new IllegalArgumentException("TRIMS_SERVICES_INSTANCES must be a positive number, got '" + value + "'");
    }
}
