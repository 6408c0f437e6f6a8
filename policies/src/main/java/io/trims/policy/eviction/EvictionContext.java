package io.trims.policy.eviction;

import io.trims.directory.TierLevel;
import io.trims.policy.clock.Ticker;

import java.util.Objects;

/**
 * What a tier gives the policy it is built with, besides each snapshot: which tier it is, the clock its statistics
 * are taken on (the policy's "now"), and the copies other hosts hold.
 */
public record EvictionContext(TierLevel tier, Ticker ticker, CopiesElsewhere copies) {

    public EvictionContext {
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(copies, "copies");
    }

    /** A tier of a host that knows of no other hosts' copies (a single host, a test). */
    public static EvictionContext alone(TierLevel tier, Ticker ticker) {
        return new EvictionContext(tier, ticker, CopiesElsewhere.NONE);
    }
}
