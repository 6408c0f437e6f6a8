package io.trims.directory;

/**
 * One host holding one model version in one tier.
 *
 * @param bytes        what the copy costs in that tier (file size on disk, measured session size in CPU, device bytes on GPU)
 * @param loadedAtMillis when the copy became (or started becoming) resident, epoch millis
 */
public record Residency(String host, String model, String version, TierLevel tier, ResidencyState state,
                        long bytes, long loadedAtMillis) {

    public ModelId modelId() {
        return new ModelId(model, version);
    }

    /** Map key: one entry per host, model version and tier. */
    public String key() {
        return key(host, modelId(), tier);
    }

    public static String key(String host, ModelId model, TierLevel tier) {
        return host + "|" + model.key() + "|" + tier.label();
    }
}
