package io.trims.agent.api;

import io.trims.agent.residency.ModelResidency;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import io.trims.directory.TierLevel;
import io.trims.protocol.ModelLookup;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/**
 * v2 model metadata and readiness. A version is always named or resolved to the newest registered one, from the
 * agent's copy of the catalogue on the event loop (a miss asks the directory on a worker).
 */
final class ModelRoutes {

    private final ModelLookup lookup;
    private final ModelResidency residency;

    ModelRoutes(ModelLookup lookup, ModelResidency residency) {
        this.lookup = lookup;
        this.residency = residency;
    }

    /** The record a request names: {@code /models/{m}/versions/{v}}, or the newest version of {@code m}. 404 if none. */
    Future<ModelRecord> resolve(RoutingContext ctx) {
        return lookup.resolve(ctx.pathParam("model"), ctx.pathParam("version"));
    }

    /** The memory tier that holds the model on this host now, the faster first: GPU, then CPU. */
    Optional<TierLevel> heldIn(ModelId id) {
        if (residency.gpuTier().map(gpu -> gpu.contains(id)).orElse(false)) {
            return Optional.of(TierLevel.GPU);
        }
        return residency.cpuTier().contains(id) ? Optional.of(TierLevel.CPU) : Optional.empty();
    }

    void metadata(RoutingContext ctx) {
        lookup.metadata(ctx.pathParam("model"), ctx.pathParam("version"))
                .onSuccess(json -> json(ctx, 200, json))
                .onFailure(ctx::fail);
    }

    /** 200 when this agent holds the version ready in memory (GPU or CPU); 400 when it is registered but not. */
    void ready(RoutingContext ctx) {
        resolve(ctx).onSuccess(record -> {
            Optional<TierLevel> tier = heldIn(record.id());
            JsonObject body = new JsonObject().put("name", record.name()).put("version", record.version())
                    .put("ready", tier.isPresent());
            if (tier.isPresent()) {
                json(ctx, 200, body.put("tier", tier.get().label()));
            } else {
                json(ctx, 400, body.put("error", "model " + record.id() + " is not loaded in memory on host " + residency.host()));
            }
        }).onFailure(ctx::fail);
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
