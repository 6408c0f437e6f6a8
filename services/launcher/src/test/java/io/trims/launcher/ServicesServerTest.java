package io.trims.launcher;

import io.trims.protocol.http.Metrics;
import io.trims.protocol.http.ServerTimeouts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The services HTTP server as deployed instances over real HTTP: one port, several event loops. */
class ServicesServerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private Vertx vertx;
    private Metrics metrics;
    private WebClient client;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        metrics = Metrics.create();
        // A new connection per request: Vert.x gives each accepted connection to the next instance in turn.
        client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false), new PoolOptions());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        Resources.awaitClosed(vertx.close());
        metrics.close();
    }

    @Test
    void twoInstancesServeOnOnePortEachWithItsOwnRoutes() throws Exception {
        AtomicInteger mounts = new AtomicInteger();
        AtomicInteger unmounted = new AtomicInteger();
        ServicesServer.Part instanceName = router -> {
            String name = "instance-" + mounts.incrementAndGet();
            router.get("/instance").handler(ctx -> ctx.end(name));
            return unmounted::incrementAndGet;
        };

        ServicesServer.Serving serving = Resources.await(
                ServicesServer.deploy(vertx, 2, "127.0.0.1", 0, metrics.registry(), List.of(instanceName),
                        ServerTimeouts.defaults()), PATIENCE);

        assertEquals(2, mounts.get(), "each instance mounted the part on its own router");
        assertTrue(serving.port() > 0);
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < 20 && answered.size() < 2; i++) {
            answered.add(get(serving, "/instance").bodyAsString());
        }
        assertEquals(Set.of("instance-1", "instance-2"), answered, "both instances answer on port " + serving.port());
        assertEquals(200, get(serving, "/metrics").statusCode());
        HttpResponse<Buffer> unknown = get(serving, "/nothing-here");
        assertEquals(404, unknown.statusCode());
        assertEquals("no such resource: /nothing-here", unknown.bodyAsJsonObject().getString("error"));

        Resources.awaitClosed(serving.close());
        assertEquals(2, unmounted.get(), "each instance closed what it mounted");
        assertThrows(ExecutionException.class, () -> get(serving, "/instance"), "nothing listens any more");
    }

    @Test
    void instancesComeFromTheEnvironment() {
        assertEquals(ServicesNode.DEFAULT_INSTANCES, ServicesNode.instances(Map.of()));
        assertEquals(3, ServicesNode.instances(Map.of("TRIMS_SERVICES_INSTANCES", " 3 ")));
        for (String bad : List.of("0", "-2", "many")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ServicesNode.instances(Map.of("TRIMS_SERVICES_INSTANCES", bad)));
            assertTrue(e.getMessage().contains("TRIMS_SERVICES_INSTANCES"), e.getMessage());
        }
    }

    private HttpResponse<Buffer> get(ServicesServer.Serving serving, String path) throws Exception {
        return client.get(serving.port(), "localhost", path).send().toCompletionStage().toCompletableFuture()
                .get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }
}
