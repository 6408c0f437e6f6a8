package io.trims.placement;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/** What the front door measures, on the process's shared registry. */
final class PlacementMetrics {

    /** Label for requests answered before their model was known (unknown model, oversized body): keeps labels bounded. */
    static final String UNRESOLVED = "_unresolved";

    private final MeterRegistry registry;
    private final Counter retries;

    PlacementMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.retries = Counter.builder("trims_placement_retries")
                .description("Requests sent to a second host after the first failed")
                .register(registry);
    }

    void retried() {
        retries.increment();
    }

    /** Counts one answered infer request by model and outcome, and times it. */
    void answered(String model, int status, long startedNanos) {
        Counter.builder("trims_requests")
                .description("Infer requests answered by the front door")
                .tag("model", model)
                .tag("outcome", outcome(status))
                .register(registry)
                .increment();
        Timer.builder("trims_request_duration")
                .description("Infer requests from arrival to answer, at the front door")
                .tag("model", model)
                .publishPercentileHistogram()
                .register(registry)
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * One answered request's predicted against measured time at the agent (forward to answer), as the ratio
     * measured / predicted by the tier placement expected: 1 is a perfect prediction, above 1 took longer.
     */
    void predicted(String expectedTier, long predictedNanos, long measuredNanos) {
        DistributionSummary.builder("trims_prediction_ratio")
                .description("Measured over predicted time of a routed request, forward to answer")
                .tag("tier", expectedTier)
                .serviceLevelObjectives(0.25, 0.5, 0.8, 0.9, 1.1, 1.25, 2, 4)
                .register(registry)
                .record((double) measuredNanos / Math.max(1, predictedNanos));
        Timer.builder("trims_prediction_error")
                .description("How far a routed request's time at the agent was from its prediction, either way")
                .tag("tier", expectedTier)
                .publishPercentileHistogram()
                .register(registry)
                .record(Math.abs(measuredNanos - predictedNanos), TimeUnit.NANOSECONDS);
    }

    static String outcome(int status) {
        if (status < 400) {
            return "ok";
        }
        if (status == 503) {
            return "unavailable";
        }
        return status < 500 ? "client_error" : "server_error";
    }
}
