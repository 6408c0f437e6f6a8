package io.trims.placement;

import io.trims.policy.placement.PlacementPolicy;

import io.micrometer.core.instrument.MeterRegistry;
import io.trims.protocol.http.HttpErrors;
import io.trims.protocol.ModelLookup;
import io.trims.protocol.V2Codec;
import io.trims.protocol.V2Exception;
import io.trims.directory.ModelRecord;
import io.trims.directory.TierDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;

/**
 * The cluster's KServe v2 REST front door: answers health and metadata from the directory, checks each infer
 * request against the registered model (bad input never costs a hop), asks the {@link PlacementPolicy} for a host
 * and forwards the raw body there through {@link PlacementRouter}.
 */
public final class FrontDoor implements AutoCloseable {

    /** How old the kept directory snapshot may get even when no change was heard. */
    private static final long SNAPSHOT_MAX_AGE_MILLIS = 1_000;
    /** Routing-context keys that carry what the failure handler needs to count a failed infer request. */
    private static final String MODEL_LABEL = "trims.model";
    private static final String STARTED = "trims.started";

    private final Vertx vertx;
    private final TierDirectory directory;
    private final FrontDoorConfig config;
    private final DirectoryView view;
    private final PlacementMetrics metrics;
    private final PlacementRouter placementRouter;

    public FrontDoor(Vertx vertx, TierDirectory directory, PlacementPolicy policy, MeterRegistry registry,
                     FrontDoorConfig config) {
        this.vertx = vertx;
        this.directory = directory;
        this.config = config;
        this.view = new DirectoryView(vertx, directory, SNAPSHOT_MAX_AGE_MILLIS);
        this.metrics = new PlacementMetrics(registry);
        this.placementRouter = new PlacementRouter(policy, view, new Forwarder(vertx, config.forwardTimeoutMs()),
                metrics, config.forwardTimeoutMs());
    }

    /** Mounts the v2 routes ({@code /v2/...}) on a router. */
    public void mount(Router router) {
        router.get("/v2/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("live", true)));
        router.get("/v2/health/ready").handler(this::clusterReady);
        for (String model : List.of("/v2/models/:model", "/v2/models/:model/versions/:version")) {
            router.get(model).handler(this::metadata);
            router.get(model + "/ready").handler(this::modelReady);
            router.post(model + "/infer")
                    .handler(BodyHandler.create(false).setBodyLimit(config.maxRequestBytes()))
                    .handler(this::infer);
        }
        router.route("/v2/*").failureHandler(this::failed);
    }

    private void clusterReady(RoutingContext ctx) {
        view.snapshot()
                .onSuccess(snapshot -> {
                    boolean ready = !snapshot.hosts().isEmpty();
                    json(ctx, ready ? 200 : 503, new JsonObject().put("ready", ready).put("hosts", snapshot.hosts().size()));
                })
                .onFailure(ctx::fail);
    }

    private void metadata(RoutingContext ctx) {
        resolve(ctx)
                .compose(model -> vertx.executeBlocking(() -> V2Codec.metadata(model,
                        directory.versions(model.name()).stream().map(ModelRecord::version).toList()), false))
                .onSuccess(body -> json(ctx, 200, body))
                .onFailure(ctx::fail);
    }

    private void modelReady(RoutingContext ctx) {
        resolve(ctx)
                .compose(model -> view.snapshot().map(snapshot -> {
                    if (snapshot.hosts().isEmpty()) {
                        throw V2Exception.badRequest("model '" + model.name() + "' version '" + model.version()
                                + "' is not ready: no live host");
                    }
                    return model;
                }))
                .onSuccess(model -> json(ctx, 200, new JsonObject()
                        .put("name", model.name()).put("version", model.version()).put("ready", true)))
                .onFailure(ctx::fail);
    }

    private void infer(RoutingContext ctx) {
        long started = System.nanoTime();
        Buffer received = ctx.body().buffer();
        Buffer body = received == null ? Buffer.buffer() : received;
        resolve(ctx)
                .compose(model -> {
                    ctx.put(MODEL_LABEL, model.name());
                    return check(model, body);
                })
                .compose(model -> placementRouter.route(model, body))
                .onSuccess(routed -> {
                    routed.writeTo(ctx.response());
                    metrics.answered(model(ctx), routed.status(), started);
                })
                .onFailure(failure -> {
                    ctx.put(STARTED, started);
                    ctx.fail(failure);
                });
    }

    private static String model(RoutingContext ctx) {
        String label = ctx.get(MODEL_LABEL);
        return label == null ? PlacementMetrics.UNRESOLVED : label;
    }

    /** Parses and validates on a worker: a large body must not hold the event loop. */
    private Future<ModelRecord> check(ModelRecord model, Buffer body) {
        return vertx.executeBlocking(() -> {
            V2Codec.validateAgainst(V2Codec.parseRequest(body), model);
            return model;
        }, false);
    }

    /** The model version a path names; no version means the newest registered one. */
    private Future<ModelRecord> resolve(RoutingContext ctx) {
        String name = ctx.pathParam("model");
        String version = ctx.pathParam("version");
        return vertx.executeBlocking(() -> ModelLookup.resolve(directory, name, version), false);
    }

    private void failed(RoutingContext ctx) {
        HttpErrors.Answer answer = HttpErrors.answerFor(ctx);
        int status = answer.status();
        String message = status == 413
                ? "request body is larger than " + config.maxRequestBytes() + " bytes (TRIMS_MAX_REQUEST_BYTES)"
                : answer.message();
        if (ctx.request().method() == io.vertx.core.http.HttpMethod.POST) {
            Long started = ctx.get(STARTED);
            metrics.answered(model(ctx), status, started == null ? System.nanoTime() : started);
        }
        HttpErrors.fail(ctx, status, message);
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }

    @Override
    public void close() throws Exception {
        placementRouter.close();
        view.close();
    }
}
