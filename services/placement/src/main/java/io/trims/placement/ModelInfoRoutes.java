package io.trims.placement;

import io.trims.directory.LiveDirectory;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import io.trims.directory.TierDirectory;
import io.trims.protocol.ModelConfigJson;
import io.trims.protocol.ModelLookup;
import io.trims.protocol.V2Exception;
import io.trims.protocol.auth.Caller;
import io.trims.protocol.http.HttpErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What the front door says about a model version: v2 metadata (with its copies in the cluster), readiness, the
 * Triton model configuration and Triton statistics. Readiness follows KServe: ready only when a copy is READY in a
 * tier it runs from (GPU or CPU) on a live host ({@link ModelState}); a registered version that is not is a 400.
 */
final class ModelInfoRoutes {

    private final Vertx vertx;
    private final TierDirectory directory;
    private final ModelLookup lookup;
    private final LiveDirectory live;
    private final ModelStatistics statistics;

    ModelInfoRoutes(Vertx vertx, TierDirectory directory, ModelLookup lookup, LiveDirectory live,
                    ModelStatistics statistics) {
        this.vertx = vertx;
        this.directory = directory;
        this.lookup = lookup;
        this.live = live;
        this.statistics = statistics;
    }

    /** Mounted ahead of the infer routes: {@code /v2/models/stats} must not be read as a model named "stats". */
    void mount(Router router) {
        router.get("/v2/models/stats").handler(this::allStats).failureHandler(HttpErrors::handleFailure);
        router.get("/v2/models/:model/stats").handler(this::modelStats).failureHandler(HttpErrors::handleFailure);
        for (String model : List.of("/v2/models/:model", "/v2/models/:model/versions/:version")) {
            router.get(model).handler(this::metadata).failureHandler(HttpErrors::handleFailure);
            router.get(model + "/ready").handler(this::ready).failureHandler(HttpErrors::handleFailure);
            router.get(model + "/config").handler(this::config).failureHandler(HttpErrors::handleFailure);
        }
        router.get("/v2/models/:model/versions/:version/stats").handler(this::versionStats)
                .failureHandler(HttpErrors::handleFailure);
    }

    /** The v2 metadata, plus {@code parameters.copies}: {@code [{host, tier, state}]} of the version named. */
    private void metadata(RoutingContext ctx) {
        resolve(ctx).compose(model -> lookup.metadata(model.name(), model.version(), Caller.of(ctx)).map(body -> {
                    body.getJsonObject("parameters").put("copies", ModelState.copies(model.id(),
                            live.snapshotFor(model.id())));
                    return body;
                }))
                .onSuccess(body -> json(ctx, 200, body))
                .onFailure(ctx::fail);
    }

    private void ready(RoutingContext ctx) {
        resolve(ctx).onSuccess(model -> {
            ModelState state = ModelState.of(model.id(), live.snapshotFor(model.id()));
            JsonObject body = new JsonObject().put("name", model.name()).put("version", model.version())
                    .put("ready", state.ready());
            if (state.ready()) {
                json(ctx, 200, body);
            } else {
                json(ctx, 400, body.put("state", state.state()).put("error", "model '" + model.name()
                        + "' version '" + model.version() + "' is not ready: " + state.state().toLowerCase(Locale.ROOT)
                        + (state.reason().isEmpty() ? "" : " (" + state.reason() + ")")));
            }
        }).onFailure(ctx::fail);
    }

    private void config(RoutingContext ctx) {
        resolve(ctx).onSuccess(model -> json(ctx, 200, ModelConfigJson.of(model))).onFailure(ctx::fail);
    }

    private void allStats(RoutingContext ctx) {
        respond(ctx, statistics(null, null, Caller.of(ctx)));
    }

    private void modelStats(RoutingContext ctx) {
        respond(ctx, statistics(ctx.pathParam("model"), null, Caller.of(ctx)));
    }

    private void versionStats(RoutingContext ctx) {
        respond(ctx, statistics(ctx.pathParam("model"), ctx.pathParam("version"), Caller.of(ctx)));
    }

    private static void respond(RoutingContext ctx, Future<JsonObject> body) {
        body.onSuccess(json -> json(ctx, 200, json)).onFailure(ctx::fail);
    }

    /**
     * Triton statistics of a version, of every registered version of a model (version null), or of every registered
     * version (name null too), by name then age; one that served nothing yet is all zeros. REST and gRPC answer it.
     * Only the versions {@code caller} sees are counted.
     */
    Future<JsonObject> statistics(String name, String version, Caller caller) {
        if (name != null && version != null) {
            return lookup.resolve(name, version, caller).map(model -> statistics.json(List.<ModelId>of(model.id())));
        }
        return vertx.executeBlocking(() -> name == null ? directory.models() : directory.versions(name), false)
                .map(all -> all.stream().filter(caller::sees).toList())
                .map(models -> {
                    if (name != null && models.isEmpty()) {
                        throw V2Exception.notFound("unknown model '" + name + "'");
                    }
                    return statistics.json(models.stream()
                            .sorted(Comparator.comparing(ModelRecord::name).thenComparing(ModelRecord.OLDEST_FIRST))
                            .map(ModelRecord::id).toList());
                });
    }

    private Future<ModelRecord> resolve(RoutingContext ctx) {
        return lookup.resolve(ctx.pathParam("model"), ctx.pathParam("version"), Caller.of(ctx));
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
