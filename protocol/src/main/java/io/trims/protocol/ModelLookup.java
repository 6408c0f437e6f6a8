package io.trims.protocol;

import io.trims.directory.CatalogueView;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import io.trims.directory.TierDirectory;
import io.trims.protocol.auth.Caller;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;

/**
 * Resolves the model version a v2 path names. A hit is answered from the local {@link CatalogueView} on the calling
 * thread (an event loop may call it); only a miss reads the directory, on a worker, because a model registered on
 * another member a moment ago may not have reached the view yet. An unknown model is a 404, and so is a version the
 * caller may not see (another tenant's private one), with the same message: its existence is not told.
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

    /**
     * As {@link #resolve(String, String)}, for {@code caller}: a version it may not see is a 404; without a version,
     * the newest it sees.
     */
    public Future<ModelRecord> resolve(String name, String version, Caller caller) {
        return resolve(name, version).compose(model -> {
            if (caller.sees(model)) {
                return Future.succeededFuture(model);
            }
            List<ModelRecord> visible = catalogue.versions(name).stream().filter(caller::sees).toList();
            if (version == null && !visible.isEmpty()) {
                return Future.succeededFuture(ModelRecord.newest(visible).orElseThrow());
            }
            return Future.failedFuture(visible.isEmpty() ? V2Exception.notFound("unknown model '" + name + "'")
                    : V2Exception.notFound("unknown version '" + version + "' of model '" + name + "'"));
        });
    }

    /** The v2 metadata of the version a path names, with every registered version of the model. */
    public Future<JsonObject> metadata(String name, String version) {
        return metadata(name, version, null);
    }

    /** As {@link #metadata(String, String)}, for {@code caller} (null: everyone): only the versions it sees. */
    public Future<JsonObject> metadata(String name, String version, Caller caller) {
        return (caller == null ? resolve(name, version) : resolve(name, version, caller)).compose(model -> {
            List<ModelRecord> versions = catalogue.versions(name);
            if (versions.contains(model)) {
                return Future.succeededFuture(metadata(model, versions, caller));
            }
            return vertx.executeBlocking(() -> metadata(model, directory.versions(name), caller), false);
        });
    }

    private static JsonObject metadata(ModelRecord model, List<ModelRecord> versions, Caller caller) {
        return V2Codec.metadata(model, versions.stream().filter(v -> caller == null || caller.sees(v))
                .map(ModelRecord::version).toList());
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
