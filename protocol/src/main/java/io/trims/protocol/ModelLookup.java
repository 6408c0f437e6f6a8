package io.trims.protocol;

import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import io.trims.directory.TierDirectory;

/** Resolves the model version a v2 path names. Blocking (Hazelcast reads): call it on a worker. */
public final class ModelLookup {

    private ModelLookup() {
    }

    /** {@code /models/{name}/versions/{version}}, or the newest version of {@code name} when {@code version} is null. */
    public static ModelRecord resolve(TierDirectory directory, String name, String version) {
        if (version == null) {
            return directory.latest(name).orElseThrow(() -> V2Exception.notFound("unknown model '" + name + "'"));
        }
        return directory.model(new ModelId(name, version)).orElseThrow(() -> directory.versions(name).isEmpty()
                ? V2Exception.notFound("unknown model '" + name + "'")
                : V2Exception.notFound("unknown version '" + version + "' of model '" + name + "'"));
    }
}
