package io.trims.policy.eviction;

import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Picks an eviction policy by its configured name; a new policy registers here. A ranking policy's name selects it
 * alone; {@code cluster-aware:<name>} weighs it by the copies other hosts hold ({@link ClusterAwarePolicy}), and a
 * bare {@code cluster-aware} does so over {@link #CLUSTER_AWARE_BASE}.
 */
public final class EvictionPolicies {

    /**
     * The base of a bare {@code cluster-aware}: BeladyAM, whose worth falls while a copy sits idle, so a spare copy of
     * a model that was hot once is not kept by old uses (GDSF's use count never ages) and the discount for copies
     * elsewhere works on what the model is worth now.
     */
    public static final String CLUSTER_AWARE_BASE = BeladyAmPolicy.NAME;

    private static final String CLUSTER_AWARE_PREFIX = ClusterAwarePolicy.NAME + ":";

    private static final Map<String, Function<EvictionContext, RankedEviction>> RANKING = Map.of(
            LruPolicy.NAME, context -> new LruPolicy(context.ticker()),
            LfuPolicy.NAME, context -> new LfuPolicy(),
            GdsfPolicy.NAME, context -> new GdsfPolicy(),
            BeladyAmPolicy.NAME, context -> new BeladyAmPolicy(context.ticker()));

    private EvictionPolicies() {
    }

    /**
     * The policy named (case and surrounding blanks ignored) for the tier, clock and copies of {@code context}.
     *
     * @throws IllegalArgumentException for a name no policy has, listing the names that exist
     */
    public static EvictionPolicy byName(String name, EvictionContext context) {
        return parse(name).apply(context);
    }

    /**
     * Checks a configured name without building the policy.
     *
     * @throws IllegalArgumentException as {@link #byName} does
     */
    public static void requireKnown(String name) {
        parse(name);
    }

    private static Function<EvictionContext, EvictionPolicy> parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals(ClusterAwarePolicy.NAME)) {
            wanted = CLUSTER_AWARE_PREFIX + CLUSTER_AWARE_BASE;
        }
        if (wanted.startsWith(CLUSTER_AWARE_PREFIX)) {
            String baseName = wanted.substring(CLUSTER_AWARE_PREFIX.length()).trim();
            Function<EvictionContext, RankedEviction> base = ranking(baseName, name);
            return context -> new ClusterAwarePolicy(base.apply(context), context.tier(), context.copies());
        }
        return ranking(wanted, name)::apply;
    }

    private static Function<EvictionContext, RankedEviction> ranking(String wanted, String configured) {
        Function<EvictionContext, RankedEviction> policy = RANKING.get(wanted);
        if (policy == null) {
            String ranking = String.join(", ", new TreeSet<>(RANKING.keySet()));
            throw new IllegalArgumentException("unknown eviction policy '" + configured + "'; known: " + ranking + ", "
                    + ClusterAwarePolicy.NAME + " (over " + CLUSTER_AWARE_BASE + ") and " + CLUSTER_AWARE_PREFIX
                    + "<one of " + ranking + ">");
        }
        return policy;
    }
}
