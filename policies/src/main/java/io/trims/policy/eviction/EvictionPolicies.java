package io.trims.policy.eviction;

import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/** Picks an eviction policy by its configured name; a new policy registers here. */
public final class EvictionPolicies {

    private static final Map<String, Supplier<EvictionPolicy>> KNOWN = Map.of(
            LruPolicy.NAME, LruPolicy::new,
            LfuPolicy.NAME, LfuPolicy::new,
            GdsfPolicy.NAME, GdsfPolicy::new);

    private EvictionPolicies() {
    }

    /** @throws IllegalArgumentException for a name no policy has, listing the names that exist */
    public static EvictionPolicy byName(String name) {
        Supplier<EvictionPolicy> policy = KNOWN.get(name.trim().toLowerCase(Locale.ROOT));
        if (policy == null) {
            throw new IllegalArgumentException("unknown eviction policy '" + name + "'; known: " + KNOWN.keySet());
        }
        return policy.get();
    }
}
