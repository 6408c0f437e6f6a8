package io.trims.policy.placement;

import java.util.Map;
import java.util.Random;

/** Chooses the placement policy by name ({@code TRIMS_PLACEMENT_POLICY}, default {@code completion-time}). */
public final class PlacementPolicies {

    public static final String ENV = "TRIMS_PLACEMENT_POLICY";

    private PlacementPolicies() {
    }

    public static PlacementPolicy fromEnv(Map<String, String> env) {
        return byName(env.getOrDefault(ENV, CompletionTimePolicy.NAME));
    }

    /** @throws IllegalArgumentException for a name no policy has, listing the names that exist */
    public static PlacementPolicy byName(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case CompletionTimePolicy.NAME -> new CompletionTimePolicy();
            case FastestTierPolicy.NAME -> new FastestTierPolicy();
            case HolderLruPolicy.NAME -> new HolderLruPolicy();
            case LeastLoadedPolicy.NAME -> new LeastLoadedPolicy();
            // java.util.Random is thread-safe: the front-door instances share one policy.
            case RandomPolicy.NAME -> new RandomPolicy(new Random());
            default -> throw new IllegalArgumentException("unknown placement policy '" + name + "' (known: "
                    + String.join(", ", CompletionTimePolicy.NAME, FastestTierPolicy.NAME, HolderLruPolicy.NAME, LeastLoadedPolicy.NAME,
                    RandomPolicy.NAME) + ")");
        };
    }
}
