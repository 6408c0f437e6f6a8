package io.trims.agent.residency;

import io.trims.agent.tier.Tier;
import io.trims.directory.ModelId;
import io.trims.directory.TierLevel;
import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.Resident;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * One INFO line per change of tier of a host's copies, so an operator can follow where each model is: every copy
 * coming into a tier passes {@link TierMove} ({@link #moved}), every copy leaving one passes the tiers' listener
 * ({@link #left}). Lines read {@code <host> <what> <model> v<version>: <from> -> <to>, <bytes> bytes ...}.
 */
final class TierLog {

    private static final Logger LOG = LoggerFactory.getLogger(TierLog.class);

    /** Why a copy leaves a tier, when the caller knows better than "to make room". */
    enum Cause {
        EVICTED("evicted"),
        SPARE("gave back its spare copy of"),
        DELETED("dropped (deleted at the registry)"),
        UNLOADED("unloaded (repository unload)");

        private final String verb;

        Cause(String verb) {
            this.verb = verb;
        }
    }

    private final String host;
    /** The host's tiers, fastest first: where a copy that leaves one still is. */
    private final List<Tier<?>> tiers;
    private final Ticker ticker;
    /** Copies being let go for a known cause, by the thread that lets them go (the listener runs on it). */
    private final Map<String, Cause> letting = new ConcurrentHashMap<>();

    TierLog(String host, List<Tier<?>> tiers, Ticker ticker) {
        this.host = host;
        this.tiers = List.copyOf(tiers);
        this.ticker = ticker;
    }

    /** A copy came into {@code to}: fetched from object storage, loaded from disk, or promoted from the CPU. */
    void moved(TierLevel to, ModelId id, long bytes, long nanos) {
        String what = switch (to) {
            case DISK -> "fetched";
            case CPU -> "loaded";
            case GPU -> "promoted";
        };
        String from = switch (to) {
            case DISK -> "remote";
            case CPU -> "disk";
            case GPU -> "cpu";
        };
        LOG.info("{} {} {} v{}: {} -> {}, {} bytes in {} ms", host, what, id.name(), id.version(), from, to.label(),
                bytes, nanos / 1_000_000);
    }

    /** A copy left {@code from}; it is still in the next slower tier that holds it, else out of this host. */
    void left(TierLevel from, Resident resident) {
        ModelId id = resident.id();
        Cause cause = letting.getOrDefault(key(from, id), Cause.EVICTED);
        long now = ticker.read();
        LOG.info("{} {} {} v{}: {} -> {}, {} bytes, resident {} ms, idle {} ms", host, cause.verb, id.name(),
                id.version(), from.label(), stillIn(from, id), resident.bytes(),
                (now - resident.residentSinceNanos()) / 1_000_000, (now - resident.lastUsedNanos()) / 1_000_000);
    }

    /** Runs {@code letGo}, which may let the copy of {@code id} in {@code tier} go, logging it as for {@code cause}. */
    boolean because(Cause cause, TierLevel tier, ModelId id, BooleanSupplier letGo) {
        String key = key(tier, id);
        letting.put(key, cause);
        try {
            return letGo.getAsBoolean();
        } finally {
            letting.remove(key, cause);
        }
    }

    private String stillIn(TierLevel from, ModelId id) {
        for (Tier<?> tier : tiers) {
            if (tier.level().rank() > from.rank() && tier.contains(id)) {
                return tier.level().label();
            }
        }
        return "out";
    }

    private static String key(TierLevel tier, ModelId id) {
        return tier.label() + "/" + id.key();
    }
}
