package io.trims.policy.variant;

import java.util.OptionalDouble;

/**
 * What a model-less request asks for; any subset may be given.
 *
 * @param maxLatencyMs the request should be answered within this long
 * @param minAccuracy  only variants at least this accurate
 * @param maxCost      only variants costing at most this per request
 */
public record ServiceTargets(OptionalDouble maxLatencyMs, OptionalDouble minAccuracy, OptionalDouble maxCost) {

    public static final ServiceTargets NONE =
            new ServiceTargets(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());

    /** Whether the variant passes the accuracy floor and the cost ceiling (latency depends on where it runs). */
    public boolean admits(Variant variant) {
        return (minAccuracy.isEmpty() || variant.accuracy() >= minAccuracy.getAsDouble())
                && (maxCost.isEmpty() || variant.cost() <= maxCost.getAsDouble());
    }

    public boolean meetsLatency(double predictedMs) {
        return maxLatencyMs.isEmpty() || predictedMs <= maxLatencyMs.getAsDouble();
    }
}
