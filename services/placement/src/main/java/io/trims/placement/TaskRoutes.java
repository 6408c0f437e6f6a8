package io.trims.placement;

import io.trims.directory.CatalogueView;
import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostStats;
import io.trims.directory.LiveDirectory;
import io.trims.directory.ModelRecord;
import io.trims.directory.RunTime;
import io.trims.directory.TensorSpec;
import io.trims.directory.TierLevel;
import io.trims.policy.placement.PlacementPolicy;
import io.trims.policy.variant.Variant;
import io.trims.policy.variant.VariantChoice;
import io.trims.policy.variant.VariantPick;
import io.trims.protocol.V2Exception;
import io.trims.protocol.auth.Caller;
import io.trims.protocol.http.HttpErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Model-less serving: a request names a task and its targets, and the front door picks the variant and the host
 * ({@link VariantChoice} over the live directory copy), then routes it as a request for that variant.
 * <ul>
 *     <li>{@code GET /v1/tasks}: every task with its variants;</li>
 *     <li>{@code GET /v1/tasks/{task}}: each variant with its accuracy, cost, size, state and its run time per
 *     tier as the agents measured it;</li>
 *     <li>{@code POST /v2/tasks/{task}/infer}: a v2 infer body whose {@code parameters} may hold
 *     {@code max_latency_ms}, {@code min_accuracy}, {@code max_cost}; the answer is the variant's, with
 *     {@code trims-variant} and, under a latency target, {@code trims-latency-target: met|missed} (missed: no
 *     variant was expected within it, so the one expected soonest served).</li>
 * </ul>
 */
final class TaskRoutes {

    static final String VARIANT_HEADER = "trims-variant";
    static final String TARGET_HEADER = "trims-latency-target";

    private final CatalogueView catalogue;
    private final LiveDirectory live;
    private final DispatchLedger ledger;
    private final VariantChoice choice;
    private final TaskMetrics metrics;

    TaskRoutes(CatalogueView catalogue, LiveDirectory live, DispatchLedger ledger, PlacementPolicy policy,
               TaskMetrics metrics) {
        this.catalogue = catalogue;
        this.live = live;
        this.ledger = ledger;
        this.choice = new VariantChoice(policy);
        this.metrics = metrics;
    }

    void mountListings(Router router) {
        router.get("/v1/tasks").handler(this::list).failureHandler(HttpErrors::handleFailure);
        router.get("/v1/tasks/:task").handler(this::show).failureHandler(HttpErrors::handleFailure);
    }

    /** The tasks of the versions the caller sees. */
    private void list(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        JsonArray tasks = new JsonArray();
        for (String task : catalogue.tasks()) {
            List<ModelRecord> visible = catalogue.variants(task).stream().filter(caller::sees).toList();
            if (!visible.isEmpty()) {
                tasks.add(new JsonObject().put("task", task).put("variants", new JsonArray(visible.stream()
                        .map(TaskRoutes::variant).toList())));
            }
        }
        json(ctx, new JsonObject().put("tasks", tasks));
    }

    private void show(RoutingContext ctx) {
        String task = ctx.pathParam("task");
        List<ModelRecord> variants = variantsOf(task, Caller.of(ctx));
        DirectorySnapshot snapshot = live.snapshot();
        JsonArray shown = new JsonArray();
        for (ModelRecord record : variants) {
            ModelState state = ModelState.of(record.id(), snapshot);
            shown.add(variant(record).put("state", state.state()).put("reason", state.reason())
                    .put("latency_ms", latency(record, snapshot))
                    .put("copies", ModelState.copies(record.id(), snapshot)));
        }
        json(ctx, new JsonObject().put("task", task).put("variants", shown));
    }

    /**
     * Picks the variant for a model-less request; a 4xx when no variant can take it, a 503 when no host can serve
     * any. Reads the body's JSON header, which for an all-JSON body is the whole body: call it off the event loop.
     */
    Chosen choose(String task, ForwardedBody body, Caller caller) {
        List<ModelRecord> registered = variantsOf(task, caller);
        TaskTargets asked = TaskTargets.of(body);
        List<ModelRecord> fitting = registered.stream().filter(asked::fits).toList();
        if (fitting.isEmpty()) {
            throw asked.noVariantFits(task, registered);
        }
        List<Variant> variants = fitting.stream().map(TaskRoutes::asVariant).toList();
        if (variants.stream().noneMatch(asked.targets()::admits)) {
            throw V2Exception.badRequest("no variant of task '" + task + "' meets min_accuracy and max_cost: "
                    + variants.stream().map(v -> v.model().name() + " v" + v.model().version() + " (accuracy "
                    + v.accuracy() + ", cost " + v.cost() + ")").collect(Collectors.joining(", ")));
        }
        Optional<VariantPick> pick = choice.choose(live.snapshot(), variants, asked.targets(), ledger::view);
        if (pick.isEmpty()) {
            throw new V2Exception(503, "no live host can serve task '" + task + "'");
        }
        ModelRecord record = fitting.stream().filter(r -> r.id().equals(pick.get().variant().model()))
                .findFirst().orElseThrow();
        return new Chosen(record, pick.get(), asked);
    }

    /** Counts the answer of a model-less request and says which variant served, and how the target stood. */
    void answered(String task, Chosen chosen, int status, long startedNanos, RoutingContext ctx) {
        metrics.answered(task, chosen.record().name(), status);
        ctx.response().putHeader(VARIANT_HEADER, chosen.record().name());
        chosen.asked().targets().maxLatencyMs().ifPresent(target -> {
            ctx.response().putHeader(TARGET_HEADER, chosen.pick().meetsLatency() ? "met" : "missed");
            metrics.target(task, target, (System.nanoTime() - startedNanos) / 1e6);
        });
    }

    void failed(String task, int status) {
        metrics.answered(task, TaskMetrics.NO_VARIANT, status);
    }

    /** The variant picked, its registration, and what the request asked. */
    record Chosen(ModelRecord record, VariantPick pick, TaskTargets asked) {
    }

    /** The task's variants the caller sees: another tenant's private versions are not there for it. */
    private List<ModelRecord> variantsOf(String task, Caller caller) {
        List<ModelRecord> variants = catalogue.variants(task).stream().filter(caller::sees).toList();
        if (variants.isEmpty()) {
            throw V2Exception.notFound("no model version serves task '" + task + "' (register one with ?task=)");
        }
        return variants;
    }

    private static Variant asVariant(ModelRecord record) {
        return new Variant(record.id(), record.sizeBytes(), record.gpuCapable(), record.task().accuracy(),
                record.task().cost());
    }

    private static JsonObject variant(ModelRecord record) {
        return new JsonObject().put("model", record.name()).put("version", record.version())
                .put("accuracy", record.task().accuracy()).put("cost", record.task().cost())
                .put("tags", new JsonArray(record.task().tags())).put("size_bytes", record.sizeBytes())
                .put("inputs", new JsonArray(record.inputs().stream().map(TensorSpec::name).toList()));
    }

    /** The mean run time in each tier over the hosts that measured it, weighted by their runs; null where none. */
    private static JsonObject latency(ModelRecord record, DirectorySnapshot snapshot) {
        JsonObject latency = new JsonObject();
        for (TierLevel tier : List.of(TierLevel.GPU, TierLevel.CPU)) {
            double nanos = 0;
            long runs = 0;
            for (HostStats stats : snapshot.stats().values()) {
                Optional<RunTime> own = stats.runTime(record.id(), tier);
                if (own.isPresent()) {
                    nanos += (double) own.get().meanNanos() * own.get().runs();
                    runs += own.get().runs();
                }
            }
            latency.put(tier.label(), runs == 0 ? null : nanos / runs / 1e6);
        }
        return latency;
    }

    private static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("content-type", "application/json").end(body.encode());
    }
}
