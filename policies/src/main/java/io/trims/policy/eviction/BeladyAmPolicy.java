package io.trims.policy.eviction;

import io.trims.policy.clock.Ticker;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * BeladyAM ("Many Models at the Edge", Ogden et al., ACSOS 2021): Belady's rule (evict what is needed furthest in the
 * future) made cost- and size-aware. A resident is worth {@code (1 / time to next use)^a × reload cost^b / bytes};
 * the least worth goes first, the least recently used among equals. Residents in use are skipped.
 *
 * <p>The next use is estimated online from the model's own arrivals: {@code max(mean gap, time since last use)},
 * since a model idle for longer than its usual gap has probably stopped being asked for; while no gap is known
 * (fewer than two uses) it is the time since the copy became resident. Reload cost is as {@link ReloadCost} says.
 */
public final class BeladyAmPolicy extends RankedEviction {

    public static final String NAME = "belady-am";
    /** The paper's {@code a}: how strongly a nearer next use protects a resident. */
    public static final double RECENCY_EXPONENT = 1;
    /** The paper's {@code b}: how strongly a costlier reload protects a resident. */
    public static final double COST_EXPONENT = 1;

    private final Ticker ticker;
    private final double recencyExponent;
    private final double costExponent;

    public BeladyAmPolicy(Ticker ticker) {
        this(ticker, RECENCY_EXPONENT, COST_EXPONENT);
    }

    /** With other exponents than the paper's defaults, e.g. for the simulator to sweep them. */
    public BeladyAmPolicy(Ticker ticker, double recencyExponent, double costExponent) {
        if (recencyExponent < 0 || costExponent < 0) {
            throw new IllegalArgumentException("BeladyAM exponents must not be negative: a=" + recencyExponent
                    + ", b=" + costExponent);
        }
        this.ticker = ticker;
        this.recencyExponent = recencyExponent;
        this.costExponent = costExponent;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ToDoubleFunction<Resident> worth(List<Resident> residents) {
        long now = ticker.read();
        ReloadCost reload = ReloadCost.of(residents);
        return r -> Math.pow(1.0 / nanosToNextUse(r, now), recencyExponent) * Math.pow(reload.nanos(r), costExponent)
                / Math.max(1, r.bytes());
    }

    /** The estimated wait for the resident's next use, at least 1 ns. */
    static long nanosToNextUse(Resident r, long now) {
        long idle = now - r.lastUsedNanos();
        long usualGap = r.meanGapNanos() > 0 ? r.meanGapNanos() : now - r.residentSinceNanos();
        return Math.max(1, Math.max(usualGap, idle));
    }
}
