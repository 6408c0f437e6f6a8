package io.trims.protocol;

import io.trims.directory.CatalogueView;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import io.trims.directory.TierDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;

/**
 * Resolves the model version a v2 path names. A hit is answered from the local {@link CatalogueView} on the calling
 * thread (an event loop may call it); only a miss reads the directory, on a worker, because a model registered on
 * another member a moment ago may not have reached the view yet. An unknown model is a 404.
 */
public final class ModelLookup {

    private final Vertx vertx;
    private final CatalogueView catalogue;
    private final TierDirectory directory;

    public ModelLookup(Vertx vertx, CatalogueView catalogue, TierDirectory directory) {
        this.vertx = vertx;
        this.catalogue = catalogue;
        this.directory = directory;
    }

    /** {@code /models/{name}/versions/{version}}, or the newest version of {@code name} when {@code version} is null. */
    public Future<ModelRecord> resolve(String name, String version) {
        Optional<ModelRecord> known = version == null
                ? catalogue.latest(name)
                : catalogue.model(new ModelId(name, version));
        return known.map(Future::succeededFuture)
                .orElseGet(() -> vertx.executeBlocking(() -> resolve(directory, name, version), false));
    }

    /** The v2 metadata of the version a path names, with every registered version of the model. */
    public Future<JsonObject> metadata(String name, String version) {
        return resolve(name, version).compose(model -> {
            List<ModelRecord> versions = catalogue.versions(name);
            if (versions.contains(model)) {
                return Future.succeededFuture(metadata(model, versions));
            }
            return vertx.executeBlocking(() -> metadata(model, directory.versions(name)), false);
        });
    }

    private static JsonObject metadata(ModelRecord model, List<ModelRecord> versions) {
        return V2Codec.metadata(model, versions.stream().map(ModelRecord::version).toList());
    }

    /** Blocking: the same lookup in the directory itself. */
    private static ModelRecord resolve(TierDirectory directory, String name, String version) {
        if (version == null) {
            return directory.latest(name).orElseThrow(() -> V2Exception.notFound("unknown model '" + name + "'"));
        }
        return directory.model(new ModelId(name, version)).orElseThrow(() -> directory.versions(name).isEmpty()
                ? V2Exception.notFound("unknown model '" + name + "'")
                : V2Exception.notFound("unknown version '" + version + "' of model '" + name + "'"));
    }
}
