package io.trims.placement;

import io.micrometer.core.instrument.MeterRegistry;
import io.trims.directory.CatalogueView;
import io.trims.directory.LiveDirectory;
import io.trims.directory.ModelRecord;
import io.trims.directory.TierDirectory;
import io.trims.policy.placement.PlacementPolicy;
import io.trims.protocol.ModelLookup;
import io.trims.protocol.RequestDeadline;
import io.trims.protocol.auth.Caller;
import io.trims.protocol.http.HttpErrors;
import io.trims.protocol.http.NotAForm;
import io.trims.protocol.http.StatusError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;

/**
 * The cluster's KServe v2 REST front door: answers health and metadata from its copies of the directory and the
 * catalogue, and routes each infer request by the model its path names: asks the {@link PlacementPolicy} for a
 * host and forwards the body there, bytes as they came, through {@link PlacementRouter}. The body is not parsed
 * here: the agent parses it once, and its 400 for a bad body passes through unchanged. A warm request is served
 * on the event loop from memory: the catalogue and the directory are copies kept current by directory events
 * ({@link CatalogueView}, {@link LiveDirectory}); only an unknown model or a failed host costs a Hazelcast read.
 * Server metadata, model metadata, readiness, configuration and statistics ({@link ModelInfoRoutes}) and the
 * model repository extension ({@link RepositoryRoutes}) are routes of their own, mounted here, as are the
 * model-less routes ({@link TaskRoutes}), whose requests are routed as requests for the variant they pick.
 *
 * <p>One front door is shared by every instance of the server it is mounted on; each instance mounts its own
 * routes and forwarder.
 */
public final class FrontDoor implements AutoCloseable {

    /** How often the live directory copy is read whole again, as a repair should an event ever be lost. */
    private static final long RESYNC_PERIOD_MILLIS = 30_000;
    /** Routing-context keys that carry what the failure handler needs to count a failed infer request. */
    private static final String MODEL_LABEL = "trims.model";
    private static final String STARTED = "trims.started";

    private final Vertx vertx;
    private final PlacementPolicy policy;
    private final FrontDoorConfig config;
    private final TierDirectory directory;
    private final ModelLookup lookup;
    private final LiveDirectory live;
    private final DispatchLedger ledger = new DispatchLedger();
    private final PlacementMetrics metrics;
    private final ModelStatistics statistics = new ModelStatistics();
    private final ServerMetadataRoutes serverMetadata = new ServerMetadataRoutes();
    private final ModelInfoRoutes models;
    private final RepositoryRoutes repository;
    private final TaskRoutes tasks;
    private final RequestLog requests = new RequestLog(RequestLog.DEFAULT_CAPACITY);
    private final ClusterPage page;
    private final long resyncTimer;
    private final AutoCloseable forgetting;

    /** @param live the directory copy placement reads; the front door resyncs it now and then, its owner closes it */
    public FrontDoor(Vertx vertx, TierDirectory directory, CatalogueView catalogue, LiveDirectory live,
                     PlacementPolicy policy, MeterRegistry registry, FrontDoorConfig config) {
        this.vertx = vertx;
        this.policy = policy;
        this.config = config;
        this.directory = directory;
        this.lookup = new ModelLookup(vertx, catalogue, directory);
        this.live = live;
        this.metrics = new PlacementMetrics(registry);
        this.models = new ModelInfoRoutes(vertx, directory, lookup, live, statistics);
        this.repository = new RepositoryRoutes(vertx, directory, lookup, live, policy, ledger);
        this.tasks = new TaskRoutes(catalogue, live, ledger, policy, new TaskMetrics(registry));
        this.page = new ClusterPage(vertx, live, requests);
        this.forgetting = catalogue.onRemoved(removed -> {
            statistics.forget(removed.id());
            if (catalogue.versions(removed.name()).isEmpty()) {
                metrics.forget(removed.name());
            }
        });
        this.resyncTimer = vertx.setPeriodic(RESYNC_PERIOD_MILLIS, id -> vertx.executeBlocking(() -> {
            live.resync();
            return null;
        }, false));
    }

    /**
     * Mounts the v2 routes ({@code /v2/...}) on a router, with a forwarder of their own so that the connections to
     * agents stay with the server instance that mounts them. Closing the handle closes that forwarder.
     */
    public AutoCloseable mount(Router router) {
        PlacementRouter placementRouter = newRouter();
        AgentCalls agents = newAgentCalls();
        serverMetadata.mount(router);
        router.get("/v2/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("live", true)));
        router.get("/v2/health/ready").handler(this::clusterReady);
        repository.mount(router, agents);
        models.mount(router);
        for (String model : List.of("/v2/models/:model", "/v2/models/:model/versions/:version")) {
            router.post(model + "/infer")
                    .handler(NotAForm.then(BodyHandler.create(false).setBodyLimit(config.maxRequestBytes())))
                    .handler(ctx -> infer(ctx, placementRouter));
        }
        tasks.mountListings(router);
        router.post("/v2/tasks/:task/infer")
                .handler(NotAForm.then(BodyHandler.create(false).setBodyLimit(config.maxRequestBytes())))
                .handler(ctx -> taskInfer(ctx, placementRouter));
        router.route("/v2/*").failureHandler(this::failed);
        // The live page: /, /page/*, /v1/cluster and its event stream.
        page.mount(router);
        return () -> {
            placementRouter.close();
            agents.close();
        };
    }

    private void clusterReady(RoutingContext ctx) {
        int hosts = live.hosts().size();
        json(ctx, hosts > 0 ? 200 : 503, new JsonObject().put("ready", hosts > 0).put("hosts", hosts));
    }

    private void infer(RoutingContext ctx, PlacementRouter placementRouter) {
        long started = System.nanoTime();
        ForwardedBody body = ForwardedBody.of(ctx.request(), ctx.body().buffer());
        long deadline = RequestDeadline.of(ctx.request().getHeader(RequestDeadline.HEADER), started);
        route(ctx, placementRouter, lookup.resolve(ctx.pathParam("model"), ctx.pathParam("version"), Caller.of(ctx)),
                body, started, deadline)
                .onSuccess(routed -> routed.writeTo(ctx.response()));
    }

    /** A model-less request: the variant its task and targets pick, routed as a request for that variant. */
    private void taskInfer(RoutingContext ctx, PlacementRouter placementRouter) {
        long started = System.nanoTime();
        String task = ctx.pathParam("task");
        ForwardedBody body = ForwardedBody.of(ctx.request(), ctx.body().buffer());
        long deadline = RequestDeadline.of(ctx.request().getHeader(RequestDeadline.HEADER), started);
        Caller caller = Caller.of(ctx);
        Future<TaskRoutes.Chosen> chosen = vertx.executeBlocking(() -> tasks.choose(task, body, caller), false);
        chosen.onFailure(failure -> tasks.failed(task, failure instanceof StatusError e ? e.status() : 500));
        chosen.onSuccess(pick -> route(ctx, placementRouter, Future.succeededFuture(pick.record()), body, started,
                deadline)
                .onSuccess(routed -> {
                    tasks.answered(task, pick, routed.status(), started, ctx);
                    routed.writeTo(ctx.response());
                }))
                .onFailure(failure -> fail(ctx, failure, started));
    }

    /**
     * Routes the body to the model {@code resolved} names, counting the answer; the caller writes it. A failure
     * goes to the failure handler, which counts it. {@code deadline}: {@link System#nanoTime} by which the answer is
     * due, {@link Long#MAX_VALUE} for none.
     */
    private Future<Routed> route(RoutingContext ctx, PlacementRouter placementRouter, Future<ModelRecord> resolved,
                                 ForwardedBody body, long started, long deadline) {
        return resolved.compose(model -> {
                    ctx.put(MODEL_LABEL, model.name());
                    return placementRouter.route(model, body, deadline, clientGone(ctx))
                            .onSuccess(routed -> requests.answered(model.id(), routed, started));
                })
                .onSuccess(routed -> metrics.answered(model(ctx), routed.status(), started))
                .onFailure(failure -> fail(ctx, failure, started));
    }

    /** Completes when the client closes its connection before the answer is written. */
    private static Future<Void> clientGone(RoutingContext ctx) {
        Promise<Void> gone = Promise.promise();
        ctx.response().closeHandler(closed -> gone.tryComplete());
        return gone.future();
    }

    private static void fail(RoutingContext ctx, Throwable failure, long started) {
        ctx.put(STARTED, started);
        ctx.fail(failure);
    }

    private static String model(RoutingContext ctx) {
        String label = ctx.get(MODEL_LABEL);
        return label == null ? PlacementMetrics.UNRESOLVED : label;
    }

    private void failed(RoutingContext ctx) {
        HttpErrors.Answer answer = HttpErrors.answerFor(ctx);
        int status = answer.status();
        String message = status == 413
                ? "request body is larger than " + config.maxRequestBytes() + " bytes (TRIMS_MAX_REQUEST_BYTES)"
                : answer.message();
        if (ctx.request().method() == HttpMethod.POST) {
            Long started = ctx.get(STARTED);
            metrics.answered(model(ctx), status, started == null ? System.nanoTime() : started);
        }
        HttpErrors.fail(ctx, status, message);
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }

    /**
     * A router with a forwarder of its own, sharing this front door's placement, directory copy, in-flight ledger
     * and metrics: each edge (a REST server instance, the gRPC server) takes one and closes it.
     */
    PlacementRouter newRouter() {
        return new PlacementRouter(vertx, policy, directory, live, ledger,
                new Forwarder(vertx, directory.signer().agentKey()), metrics, statistics, config);
    }

    /** The agents' repository endpoints, with connections of their own for the edge that takes them. */
    AgentCalls newAgentCalls() {
        return new AgentCalls(vertx, config.forwardTimeoutMs(), directory.signer().agentKey());
    }

    // What the gRPC edge (GrpcFrontDoor) reads: the same sources as the REST routes.

    ModelLookup lookup() {
        return lookup;
    }

    LiveDirectory live() {
        return live;
    }

    TierDirectory directory() {
        return directory;
    }

    FrontDoorConfig config() {
        return config;
    }

    PlacementMetrics metrics() {
        return metrics;
    }

    RepositoryRoutes repository() {
        return repository;
    }

    ModelInfoRoutes models() {
        return models;
    }

    @Override
    public void close() {
        vertx.cancelTimer(resyncTimer);
        page.close();
        try {
            forgetting.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop following deletions", e);
        }
    }
}
