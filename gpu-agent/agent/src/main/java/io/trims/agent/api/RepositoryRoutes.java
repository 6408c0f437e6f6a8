package io.trims.agent.api;

import io.trims.agent.residency.ModelResidency;
import io.trims.directory.TierLevel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * This host's side of the repository extension, which the front door calls (and which may be called directly):
 * {@code POST /v2/repository/models/{m}[/versions/{v}]/load} brings the version into this host's CPU tier without
 * running it, answered once it is READY there; {@code .../unload} lets it go from every tier of this host, a copy in
 * use as soon as its requests let it go (it takes no new ones meanwhile). Tier outcomes (too big, busy, not in
 * storage) are answered by {@link TierErrors}.
 */
final class RepositoryRoutes {

    private final ModelRoutes models;
    private final ModelResidency residency;

    RepositoryRoutes(ModelRoutes models, ModelResidency residency) {
        this.models = models;
        this.residency = residency;
    }

    void mount(Router router) {
        for (String model : List.of("/v2/repository/models/:model", "/v2/repository/models/:model/versions/:version")) {
            router.post(model + "/load").handler(this::load);
            router.post(model + "/unload").handler(this::unload);
        }
    }

    private void load(RoutingContext ctx) {
        models.resolve(ctx)
                .compose(record -> residency.preload(record).map(loaded -> new JsonObject()
                        .put("name", record.name()).put("version", record.version()).put("host", residency.host())
                        .put("tier", models.heldIn(record.id()).map(TierLevel::label).orElse("none"))))
                .onSuccess(body -> ModelRoutes.json(ctx, 200, body))
                .onFailure(ctx::fail);
    }

    private void unload(RoutingContext ctx) {
        models.resolve(ctx)
                .compose(record -> residency.unload(record.id()).map(held -> {
                    JsonArray tiers = new JsonArray();
                    held.forEach(tier -> tiers.add(tier.label()));
                    return new JsonObject().put("name", record.name()).put("version", record.version())
                            .put("host", residency.host()).put("released", tiers);
                }))
                .onSuccess(body -> ModelRoutes.json(ctx, 200, body))
                .onFailure(ctx::fail);
    }
}
