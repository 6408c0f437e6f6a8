package io.trims.launcher;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trims.protocol.http.HttpErrors;
import io.trims.protocol.http.ServerTimeouts;
import io.trims.protocol.http.Metrics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance of the HTTP server of a services process: {@code GET /metrics}, JSON errors for every route, and
 * the parts it is given (the front door's {@code /v2}, the registry's {@code /v1}), so placement and registry share
 * one port. Several instances may be deployed ({@link #deploy}): Vert.x shares the port between them and hands
 * each connection to one instance's event loop. What the parts keep (directory and catalogue copies, metrics, the
 * registry's store) is created once by the caller and shared; each instance mounts the parts on its own router.
 */
public final class ServicesServer extends VerticleBase {

    /** Something served on every instance's router. */
    public interface Part {
        /** Mounts the part's routes; the handle is closed when the instance stops. */
        AutoCloseable mount(Router router);
    }

    /** Instances listening on {@code bindAddress:port}; {@link #close()} undeploys them. */
    public record Serving(Vertx vertx, String deploymentId, String bindAddress, int port) {
        /** Where this machine reaches them: localhost when they listen on every interface. */
        public String url() {
            return "http://" + ("0.0.0.0".equals(bindAddress) ? "localhost" : bindAddress) + ":" + port;
        }

        public Future<Void> close() {
            return vertx.undeploy(deploymentId);
        }
    }

    private final String bindAddress;
    private final int port;
    private final PrometheusMeterRegistry registry;
    private final List<Part> parts;
    private final AtomicInteger bound;
    private final ServerTimeouts timeouts;
    private final List<AutoCloseable> mounted = new ArrayList<>();
    private HttpServer server;

    private ServicesServer(String bindAddress, int port, PrometheusMeterRegistry registry, List<Part> parts,
                           AtomicInteger bound, ServerTimeouts timeouts) {
        this.bindAddress = bindAddress;
        this.port = port;
        this.registry = registry;
        this.parts = List.copyOf(parts);
        this.bound = bound;
        this.timeouts = timeouts;
    }

    /**
     * Deploys {@code instances} servers on one port of {@code bindAddress} (0.0.0.0: every interface). Vert.x shares a port between servers that ask for the same one,
     * but gives each that asks for port 0 a port of its own; servers that ask for port -1 share one random port.
     */
    public static Future<Serving> deploy(Vertx vertx, int instances, String bindAddress, int port,
                                         PrometheusMeterRegistry registry, List<Part> parts, ServerTimeouts timeouts) {
        AtomicInteger bound = new AtomicInteger();
        int asked = port == 0 ? -1 : port;
        return vertx.deployVerticle(() -> new ServicesServer(bindAddress, asked, registry, parts, bound, timeouts),
                        new DeploymentOptions().setInstances(instances))
                .map(id -> new Serving(vertx, id, bindAddress, bound.get()));
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        Metrics.mount(router, registry);
        parts.forEach(part -> mounted.add(part.mount(router)));
        // Last, so a part's own failure handler (the front door counts its failures) is found first.
        HttpErrors.install(router);
        // Request bodies in gzip/deflate are inflated here, so the front door forwards plain bytes to agents.
        return timeouts.server(vertx, new HttpServerOptions().setCompressionSupported(true).setDecompressionSupported(true),
                        router)
                .listen(port, bindAddress)
                .recover(failure -> Future.failedFuture(new IllegalStateException("cannot listen on " + bindAddress
                        + ":" + port + " (set TRIMS_PORT, TRIMS_BIND_ADDRESS): " + failure.getMessage(), failure)))
                .onSuccess(listening -> {
                    server = listening;
                    bound.set(listening.actualPort());
                });
    }

    @Override
    public Future<?> stop() throws Exception {
        for (AutoCloseable part : mounted) {
            part.close();
        }
        return server == null ? Future.succeededFuture() : server.close();
    }
}
