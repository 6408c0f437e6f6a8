package io.trims.placement;

import io.trims.directory.LiveDirectory;
import io.trims.protocol.http.StatusException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The live cluster page: {@code GET /} (the page, its script and style under {@code /page/}: plain files in the
 * jar, read once into memory), {@code GET /v1/cluster} (the state as JSON) and {@code GET /v1/cluster/events}
 * (the same state, then its changes and the requests as they are answered, as server-sent events). It reads the
 * front door's directory copy and the {@link RequestLog} the front door feeds; it never reads Hazelcast.
 */
final class ClusterPage implements AutoCloseable {

    private static final String FILES = "io/trims/placement/page/";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "page.js", "text/javascript; charset=utf-8",
            "page.css", "text/css; charset=utf-8");
    /** The page runs only its own script and talks only to this server. */
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'";

    private final ClusterState state;
    private final ClusterEvents events;
    private final Map<String, Buffer> files;

    ClusterPage(Vertx vertx, LiveDirectory live, RequestLog requests) {
        this(vertx, live, requests, ClusterEvents.DEFAULT_MAX_CLIENTS, ClusterEvents.DEFAULT_HEARTBEAT_MS);
    }

    ClusterPage(Vertx vertx, LiveDirectory live, RequestLog requests, int maxClients, long heartbeatMs) {
        RequestRates rates = new RequestRates();
        requests.onEntry(rates::record);
        this.state = new ClusterState(live, requests, rates);
        this.files = Map.of("index.html", read("index.html"), "page.js", read("page.js"), "page.css", read("page.css"));
        this.events = new ClusterEvents(vertx, live, state, requests, maxClients, heartbeatMs);
    }

    void mount(Router router) {
        router.get("/").handler(ctx -> serve(ctx, "index.html"));
        router.get("/page/:file").handler(ctx -> serve(ctx, ctx.pathParam("file")));
        router.get("/v1/cluster").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").end(state.snapshot().encode()));
        router.get("/v1/cluster/events").handler(events::stream);
    }

    /** Streams open now. */
    int listening() {
        return events.clients();
    }

    private void serve(RoutingContext ctx, String name) {
        Buffer file = files.get(name);
        if (file == null) {
            ctx.fail(new StatusException(404, "no such page file: " + name));
            return;
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, TYPES.get(name))
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("x-content-type-options", "nosniff")
                .putHeader("content-security-policy", POLICY)
                .end(file);
    }

    private static Buffer read(String name) {
        try (InputStream in = ClusterPage.class.getClassLoader().getResourceAsStream(FILES + name)) {
            if (in == null) {
                throw new IllegalStateException("the live page's " + name + " is missing from the class path");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the live page's " + name, e);
        }
    }

    @Override
    public void close() {
        events.close();
    }
}
