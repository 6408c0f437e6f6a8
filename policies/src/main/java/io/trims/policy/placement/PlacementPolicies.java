package io.trims.policy.placement;

import java.util.Map;

/** Chooses the placement policy by name ({@code TRIMS_PLACEMENT_POLICY}, default {@code fastest-tier}). */
public final class PlacementPolicies {

    public static final String ENV = "TRIMS_PLACEMENT_POLICY";

    private PlacementPolicies() {
    }

    public static PlacementPolicy fromEnv(Map<String, String> env) {
        return byName(env.getOrDefault(ENV, FastestTierPolicy.NAME));
    }

    public static PlacementPolicy byName(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case FastestTierPolicy.NAME -> new FastestTierPolicy();
            default -> throw new IllegalArgumentException(
                    "unknown placement policy '" + name + "' (known: " + FastestTierPolicy.NAME + ")");
        };
    }
}
