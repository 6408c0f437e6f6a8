package io.trims.launcher;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trims.protocol.http.HttpErrors;
import io.trims.protocol.http.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.function.Consumer;

/**
 * The HTTP server of a services process: {@code GET /metrics}, JSON errors for every route, and the parts it is
 * given (the front door's {@code /v2}, the registry's {@code /v1}), so placement and registry share one port.
 */
public final class ServicesServer {

    private final HttpServer server;

    private ServicesServer(HttpServer server) {
        this.server = server;
    }

    public static Future<ServicesServer> start(Vertx vertx, int port, PrometheusMeterRegistry registry,
                                               List<Consumer<Router>> parts) {
        Router router = Router.router(vertx);
        Metrics.mount(router, registry);
        parts.forEach(part -> part.accept(router));
        // Last, so a part's own failure handler (the front door counts its failures) is found first.
        HttpErrors.install(router);
        return vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true))
                .requestHandler(router)
                .listen(port)
                .recover(failure -> Future.failedFuture(new IllegalStateException(
                        "cannot listen on port " + port + " (set TRIMS_PORT): " + failure.getMessage(), failure)))
                .map(ServicesServer::new);
    }

    public int port() {
        return server.actualPort();
    }

    public String url() {
        return "http://localhost:" + port();
    }

    public Future<Void> close() {
        return server.close();
    }
}
