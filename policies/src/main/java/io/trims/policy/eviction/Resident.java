package io.trims.policy.eviction;

import io.trims.directory.ModelId;

/**
 * One model resident in a tier, as an eviction policy sees it.
 *
 * @param bytes         what the copy costs in the tier
 * @param lastUsedNanos {@link System#nanoTime()} of the last acquire
 * @param loadedAtNanos {@link System#nanoTime()} when it became resident
 * @param inFlight      requests using it now; a resident with any is never a victim
 * @param hits          acquires since it became resident
 */
public record Resident(ModelId id, long bytes, long lastUsedNanos, long loadedAtNanos, int inFlight, long hits) {

    public boolean inUse() {
        return inFlight > 0;
    }
}
