package io.trims.launcher;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trims.objectstore.ObjectStore;
import io.trims.directory.TierDirectory;
import io.trims.placement.FrontDoor;
import io.trims.placement.FrontDoorConfig;
import io.trims.policy.placement.PlacementPolicies;
import io.trims.registry.RegistryConfig;
import io.trims.registry.RegistryRoutes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The services of one process on one port: the registry ({@code /v1/models}) and, unless it is a registry-only
 * process, the placement front door ({@code /v2}). Everything it starts is handed to {@code resources} to close.
 */
final class ServicesNode {

    private ServicesNode() {
    }

    /** Blocking: returns the server once it listens and the registry has restored its catalogue. */
    static ServicesServer start(Vertx vertx, TierDirectory directory, ObjectStore store,
                                PrometheusMeterRegistry meters, Map<String, String> env, boolean placement,
                                int port, Resources resources) throws Exception {
        List<Consumer<Router>> parts = new ArrayList<>();
        List<Future<?>> mounted = new ArrayList<>();
        parts.add(router -> mounted.add(RegistryRoutes.mount(router, vertx, store, directory,
                RegistryConfig.fromEnv(env), meters)));
        if (placement) {
            FrontDoor frontDoor = new FrontDoor(vertx, directory, PlacementPolicies.fromEnv(env), meters,
                    FrontDoorConfig.fromEnv(env));
            resources.onClose("front door", frontDoor::close);
            parts.add(frontDoor::mount);
        }
        ServicesServer server = Resources.await(ServicesServer.start(vertx, port, meters, parts), Duration.ofSeconds(30));
        resources.onClose("services server on port " + server.port(), () -> Resources.awaitClosed(server.close()));
        for (Future<?> ready : mounted) {
            Resources.await(ready, Duration.ofSeconds(60));
        }
        return server;
    }
}
