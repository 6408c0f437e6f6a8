package io.trims.policy.placement;

import io.trims.directory.TierLevel;

import java.util.Optional;

/**
 * When a request sent to one host now is expected to finish, in parts.
 *
 * @param heldIn     the tier the host holds (or is loading) the model in, empty for a miss
 * @param holds      the host holds a copy in memory or is already bringing one there (a load under way, or a miss
 *                   the front door sent there and that has not answered, though the directory may not list it
 *                   yet); a copy only on disk does not count: serving from it is a new load
 * @param waitNanos  queueing behind the requests ahead of it on that host
 * @param loadNanos  bringing the model to a tier it can run in (0 when it is there)
 * @param runNanos   one run in the tier it will run in
 */
public record Estimate(String host, Optional<TierLevel> heldIn, boolean holds, long waitNanos, long loadNanos, long runNanos) {

    public long totalNanos() {
        return waitNanos + loadNanos + runNanos;
    }

    public double totalMillis() {
        return totalNanos() / 1e6;
    }
}
