package io.trims.bench.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One system the benchmark compares: the per-invocation baseline, or a trims cluster with a placement and an
 * eviction policy ({@code null}: the cluster's default, whatever it is at the time of the run), and whether every
 * model is preloaded before measuring into tiers big enough to hold them all (the "ideal").
 */
public record SystemSpec(String label, boolean perInvocation, String placement, String eviction, boolean ideal) {

    /** Spelled as {@link #parse} reads it. */
    public static final String DEFAULTS = "per-invocation=per-invocation,random=random/lru,"
            + "modelmesh=holder-lru/lru,trims=default/default,ideal=fastest-tier/lru+preload";

    /**
     * Comma-separated {@code label=placement/eviction}, {@code default} for a cluster default, {@code +preload}
     * at the end for the ideal, or {@code label=per-invocation}; e.g. {@link #DEFAULTS}.
     */
    public static List<SystemSpec> parse(String text) {
        List<SystemSpec> systems = new ArrayList<>();
        for (String entry : text.split(",")) {
            String[] parts = entry.trim().split("=", 2);
            if (parts.length != 2 || parts[0].isBlank()) {
                throw new IllegalArgumentException("a system is label=placement/eviction[+preload] or "
                        + "label=per-invocation, not '" + entry + "'");
            }
            String label = parts[0].trim();
            String how = parts[1].trim().toLowerCase(Locale.ROOT);
            if (how.equals("per-invocation")) {
                systems.add(new SystemSpec(label, true, null, null, false));
                continue;
            }
            boolean ideal = how.endsWith("+preload");
            String[] policies = (ideal ? how.substring(0, how.length() - "+preload".length()) : how).split("/", 2);
            if (policies.length != 2) {
                throw new IllegalArgumentException("system '" + label + "' names no placement/eviction: '" + how + "'");
            }
            systems.add(new SystemSpec(label, false, orDefault(policies[0]), orDefault(policies[1]), ideal));
        }
        return systems;
    }

    /** The policies as the report shows them: {@code holder-lru + lru}, {@code default + default}. */
    public String policies() {
        if (perInvocation) {
            return "load, run, unload per request";
        }
        return (placement == null ? "default" : placement) + " + " + (eviction == null ? "default" : eviction)
                + (ideal ? ", all preloaded" : "");
    }

    private static String orDefault(String name) {
        String n = name.trim();
        return n.isEmpty() || n.equals("default") ? null : n;
    }
}
