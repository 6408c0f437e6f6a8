package io.trims.placement;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;
import io.trims.directory.LiveDirectory;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierDirectory;
import io.trims.directory.TierLevel;
import io.trims.policy.placement.Placement;
import io.trims.policy.placement.PlacementPolicy;
import io.trims.policy.placement.PlacementRequest;
import io.trims.protocol.ModelLookup;
import io.trims.protocol.V2Exception;
import io.trims.protocol.auth.Caller;
import io.trims.protocol.http.HttpErrors;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Triton's model repository extension, mapped onto trims' tiers. The repository is the registry's catalogue: every
 * registered version is in the index, with the state {@link ModelState} reads from the live directory copy.
 * <ul>
 *     <li>load brings a version into the CPU tier of the host the placement policy picks, as it would for an infer
 *     request (a host that holds it already is picked first), without running it; answered once it is READY;</li>
 *     <li>unload lets the version go from the memory and disk tiers of every live host; its registration and its
 *     object in storage stay, so the next request for it is a cold start. A copy that requests hold is marked
 *     EVICTING (placement sends it nothing more) and goes when the last of them lets it go.</li>
 * </ul>
 * Every wait is bounded by the forward timeout.
 */
final class RepositoryRoutes {

    /** How long an answered load or unload waits for the directory copy to show it, so that index and ready agree. */
    private static final long DIRECTORY_WAIT_MS = 2_000;
    private static final long POLL_MS = 20;
    private static final long MAX_BODY_BYTES = 64 * 1024;

    private final Vertx vertx;
    private final TierDirectory directory;
    private final ModelLookup lookup;
    private final LiveDirectory live;
    private final PlacementPolicy policy;
    private final DispatchLedger ledger;

    RepositoryRoutes(Vertx vertx, TierDirectory directory, ModelLookup lookup, LiveDirectory live,
                     PlacementPolicy policy, DispatchLedger ledger) {
        this.vertx = vertx;
        this.directory = directory;
        this.lookup = lookup;
        this.live = live;
        this.policy = policy;
        this.ledger = ledger;
    }

    void mount(Router router, AgentCalls agents) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        router.get("/v2/repository/index").handler(this::index).failureHandler(HttpErrors::handleFailure);
        router.post("/v2/repository/index").handler(body).handler(this::index)
                .failureHandler(HttpErrors::handleFailure);
        router.post("/v2/repository/models/:model/load").handler(body).handler(ctx -> load(ctx, agents))
                .failureHandler(HttpErrors::handleFailure);
        router.post("/v2/repository/models/:model/unload").handler(body).handler(ctx -> unload(ctx, agents))
                .failureHandler(HttpErrors::handleFailure);
    }

    /** Every registered version the caller sees, by name then age; with {@code {"ready": true}} only the READY ones. */
    private void index(RoutingContext ctx) {
        JsonObject request = RequestBody.object(ctx.body().buffer());
        Object ready = request.getValue("ready");
        if (ready != null && !(ready instanceof Boolean)) {
            throw V2Exception.badRequest("ready must be a boolean, got " + ready);
        }
        index(Boolean.TRUE.equals(ready), Caller.of(ctx)).map(entries -> {
            JsonArray index = new JsonArray();
            entries.forEach(entry -> index.add(new JsonObject().put("name", entry.model().name())
                    .put("version", entry.model().version())
                    .put("state", entry.state().state()).put("reason", entry.state().reason())));
            return index;
        }).onSuccess(index -> ctx.response().putHeader("content-type", "application/json").end(index.encode()))
                .onFailure(ctx::fail);
    }

    /** The index both edges answer: every version the caller sees, by name then age, each with its state. */
    Future<List<IndexEntry>> index(boolean readyOnly, Caller caller) {
        return vertx.executeBlocking(directory::models, false).map(models -> models.stream()
                .filter(caller::sees)
                .sorted(Comparator.comparing(ModelRecord::name).thenComparing(ModelRecord.OLDEST_FIRST))
                .map(model -> new IndexEntry(model, ModelState.of(model.id(), live.snapshotFor(model.id()))))
                .filter(entry -> !readyOnly || entry.state().ready())
                .toList());
    }

    private void load(RoutingContext ctx, AgentCalls agents) {
        load(agents, ctx.pathParam("model"), RequestBody.parameters(ctx.body().buffer()), Caller.of(ctx))
                .onSuccess(done -> empty(ctx))
                .onFailure(ctx::fail);
    }

    /** Loads a version named by {@code model} and the {@code version} parameter (the newest without one). */
    Future<Void> load(AgentCalls agents, String model, JsonObject parameters, Caller caller) {
        if (parameters.containsKey("config")
                || parameters.fieldNames().stream().anyMatch(name -> name.startsWith("file:"))) {
            throw V2Exception.badRequest("trims derives a model's configuration from its registration: a load "
                    + "takes no 'config' or 'file:' parameters (register a new version through /v1/models instead)");
        }
        return lookup.resolve(model, RequestBody.version(parameters), caller)
                .compose(record -> loadSomewhere(record, agents));
    }

    /** Asks placement for a host as for an infer request, and has that host load the version into memory. */
    private Future<Void> loadSomewhere(ModelRecord model, AgentCalls agents) {
        DirectorySnapshot snapshot = live.snapshotFor(model.id());
        PlacementRequest request = PlacementRequest.of(model);
        Optional<Placement> chosen = policy.place(snapshot, request.with(ledger.view(model.id())));
        if (chosen.isEmpty()) {
            return Future.failedFuture(new V2Exception(503, "no live host can load model '" + model.name()
                    + "' version '" + model.version() + "'"));
        }
        Placement placement = chosen.get();
        long deadline = System.currentTimeMillis() + agents.timeoutMs();
        DispatchLedger.Ticket ticket = ledger.sent(placement, model.id(), snapshot.takenAtMillis());
        return agents.load(placement.endpoint(), model.id()).transform(sent -> {
            ledger.answered(ticket);
            if (sent.failed()) {
                return Future.failedFuture(noAnswer(placement.host(), sent.cause(), agents.timeoutMs()));
            }
            if (sent.result().statusCode() >= 300) {
                return Future.failedFuture(refused(placement.host(), sent.result()));
            }
            return until(() -> readyIn(model.id(), placement.host()), deadline);
        });
    }

    private boolean readyIn(ModelId model, String host) {
        return live.snapshotFor(model).holders(model).stream().anyMatch(c -> c.host().equals(host)
                && c.tier() != TierLevel.DISK && c.state() == ResidencyState.READY);
    }

    private void unload(RoutingContext ctx, AgentCalls agents) {
        unload(agents, ctx.pathParam("model"), RequestBody.parameters(ctx.body().buffer()), Caller.of(ctx))
                .onSuccess(done -> empty(ctx))
                .onFailure(ctx::fail);
    }

    /** Unloads a version named by {@code model} and the {@code version} parameter (the newest without one). */
    Future<Void> unload(AgentCalls agents, String model, JsonObject parameters, Caller caller) {
        return lookup.resolve(model, RequestBody.version(parameters), caller)
                .compose(record -> unloadEverywhere(record.id(), agents));
    }

    /** Every live host is asked, not only the holders the directory copy lists: it may lag behind a load. */
    private Future<Void> unloadEverywhere(ModelId model, AgentCalls agents) {
        long deadline = System.currentTimeMillis() + agents.timeoutMs();
        List<Future<String>> asked = new ArrayList<>();
        for (HostRecord host : live.hosts().values()) {
            asked.add(agents.unload(host.endpoint(), model).transform(sent -> {
                if (sent.failed()) {
                    return Future.succeededFuture(noAnswer(host.host(), sent.cause(), agents.timeoutMs()).getMessage());
                }
                return Future.succeededFuture(sent.result().statusCode() >= 300
                        ? refused(host.host(), sent.result()).getMessage() : null);
            }));
        }
        return Future.all(asked).compose(all -> {
            List<String> failed = asked.stream().map(Future::result).filter(r -> r != null).toList();
            if (!failed.isEmpty()) {
                return Future.failedFuture(new V2Exception(502, "model " + model + " was not unloaded everywhere: "
                        + String.join("; ", failed)));
            }
            return until(() -> live.snapshotFor(model).holders(model).isEmpty(), deadline);
        });
    }

    /**
     * Completes once {@code done} holds, or at the latest after {@link #DIRECTORY_WAIT_MS} (never past
     * {@code deadlineMillis}): the agent has answered already, the wait only lets the directory copy catch up.
     */
    private Future<Void> until(BooleanSupplier done, long deadlineMillis) {
        long giveUp = Math.min(deadlineMillis, System.currentTimeMillis() + DIRECTORY_WAIT_MS);
        Promise<Void> promise = Promise.promise();
        poll(done, giveUp, promise);
        return promise.future();
    }

    private void poll(BooleanSupplier done, long giveUpMillis, Promise<Void> promise) {
        if (done.getAsBoolean() || System.currentTimeMillis() >= giveUpMillis) {
            promise.complete();
            return;
        }
        vertx.setTimer(POLL_MS, id -> poll(done, giveUpMillis, promise));
    }

    /** A registered version and where it stands. */
    record IndexEntry(ModelRecord model, ModelState state) {
    }

    private static V2Exception noAnswer(String host, Throwable cause, long timeoutMs) {
        if (cause instanceof TimeoutException) {
            return new V2Exception(504, "host '" + host + "' did not answer within " + timeoutMs + " ms");
        }
        String message = cause.getMessage();
        return new V2Exception(502, "host '" + host + "' failed: "
                + (message == null || message.isBlank() ? cause.getClass().getSimpleName() : message));
    }

    /** The agent's own status and message, naming the host. */
    private static V2Exception refused(String host, HttpResponse<Buffer> answer) {
        return new V2Exception(answer.statusCode(), "host '" + host + "': " + RequestBody.error(answer.body()));
    }

    /** Triton answers a successful load or unload with 200 and an empty body; trims with {@code {}}. */
    private static void empty(RoutingContext ctx) {
        ctx.response().putHeader("content-type", "application/json").end("{}");
    }
}
