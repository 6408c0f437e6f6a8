package io.trims.agent.api;

import io.trims.agent.residency.ModelResidency;
import io.trims.protocol.V2Codec;
import io.trims.protocol.ModelLookup;
import io.trims.directory.ModelRecord;
import io.trims.directory.TierDirectory;
import io.trims.directory.TierLevel;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * v2 model metadata and readiness. A version is always named or resolved to the newest registered one; catalogue
 * reads are Hazelcast calls and run on the worker pool.
 */
final class ModelRoutes {

    private final TierDirectory directory;
    private final ModelResidency residency;
    private final WorkerExecutor workers;

    ModelRoutes(TierDirectory directory, ModelResidency residency, WorkerExecutor workers) {
        this.directory = directory;
        this.residency = residency;
        this.workers = workers;
    }

    /** The record a request names: {@code /models/{m}/versions/{v}}, or the newest version of {@code m}. 404 if none. */
    Future<ModelRecord> resolve(RoutingContext ctx) {
        String name = ctx.pathParam("model");
        String version = ctx.pathParam("version");
        return workers.executeBlocking(() -> ModelLookup.resolve(directory, name, version), false);
    }

    void metadata(RoutingContext ctx) {
        resolve(ctx)
                .compose(record -> workers.executeBlocking(() -> V2Codec.metadata(record,
                        directory.versions(record.name()).stream().map(ModelRecord::version).toList()), false))
                .onSuccess(json -> json(ctx, 200, json))
                .onFailure(ctx::fail);
    }

    /** 200 when this agent holds the version ready in memory (CPU, later GPU); 400 when it is registered but not. */
    void ready(RoutingContext ctx) {
        resolve(ctx).onSuccess(record -> {
            boolean ready = residency.cpuTier().contains(record.id());
            JsonObject body = new JsonObject().put("name", record.name()).put("version", record.version()).put("ready", ready);
            if (ready) {
                json(ctx, 200, body.put("tier", TierLevel.CPU.label()));
            } else {
                json(ctx, 400, body.put("error", "model " + record.id() + " is not loaded in memory on host " + residency.host()));
            }
        }).onFailure(ctx::fail);
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
