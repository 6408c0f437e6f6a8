package io.trims.placement;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the front door measures, on the services' registry. The retry counter and the prediction meters of every
 * expected tier exist from the start; a model's request counters, one per outcome, from its first request, all at 0
 * until counted, so an error ratio is 0 rather than absent.
 */
final class PlacementMetrics {

    /** Label for requests answered before their model was known (unknown model, oversized body): keeps labels bounded. */
    static final String UNRESOLVED = "_unresolved";
    static final List<String> OUTCOMES = List.of("ok", "client_error", "server_error", "unavailable");
    /** The tiers placement may expect a request to be served from, as {@code Placement.expectedTier} names them. */
    static final List<String> EXPECTED_TIERS = List.of("gpu", "cpu", "disk", "remote");

    private static final String REQUESTS = "Infer requests answered by the front door, by model and outcome";
    private static final String REQUEST_TIME = "Infer requests from arrival to answer, at the front door";

    private final MeterRegistry registry;
    /** A request whose deadline the chosen host is expected to miss, answered 504 without being sent. */
    static final String CANNOT_MEET = "deadline";

    private final Counter retries;
    private final Counter cancelled;
    private final Set<String> seenModels = ConcurrentHashMap.newKeySet();

    PlacementMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.retries = Counter.builder("trims_placement_retries")
                .description("Requests sent to a second host after the first failed")
                .register(registry);
        this.cancelled = Counter.builder("trims_placement_cancelled")
                .description("Forwards cut because the client left before the agent answered")
                .register(registry);
        rejections(CANNOT_MEET);
        EXPECTED_TIERS.forEach(tier -> {
            ratio(tier);
            error(tier);
        });
    }

    void retried() {
        retries.increment();
    }

    void cancelled() {
        cancelled.increment();
    }

    /** A request refused by the front door itself, by why. */
    void rejected(String reason) {
        rejections(reason).increment();
    }

    private Counter rejections(String reason) {
        return Counter.builder("trims_placement_rejected")
                .description("Infer requests the front door refused without forwarding, by reason")
                .tag("reason", reason)
                .register(registry);
    }

    /** Counts one answered infer request by model and outcome, and times it. */
    void answered(String model, int status, long startedNanos) {
        if (seenModels.add(model)) {
            OUTCOMES.forEach(outcome -> requests(model, outcome));
        }
        requests(model, outcome(status)).increment();
        Timer.builder("trims_request_duration")
                .description(REQUEST_TIME)
                .tag("model", model)
                .publishPercentileHistogram()
                .register(registry)
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /** A model whose last version was deleted: its series go, so that names come and go without the heap growing. */
    void forget(String model) {
        seenModels.remove(model);
        for (String meter : List.of("trims_requests", "trims_request_duration")) {
            registry.find(meter).tag("model", model).meters().forEach(registry::remove);
        }
    }

    /**
     * One answered request's predicted against measured time at the agent (forward to answer), as the ratio
     * measured / predicted by the tier placement expected: 1 is a perfect prediction, above 1 took longer.
     */
    void predicted(String expectedTier, long predictedNanos, long measuredNanos) {
        ratio(expectedTier).record((double) measuredNanos / Math.max(1, predictedNanos));
        error(expectedTier).record(Math.abs(measuredNanos - predictedNanos), TimeUnit.NANOSECONDS);
    }

    private Counter requests(String model, String outcome) {
        return Counter.builder("trims_requests")
                .description(REQUESTS)
                .tag("model", model)
                .tag("outcome", outcome)
                .register(registry);
    }

    private DistributionSummary ratio(String tier) {
        return DistributionSummary.builder("trims_prediction_ratio")
                .description("Measured over predicted time of a routed request, forward to answer")
                .tag("tier", tier)
                .serviceLevelObjectives(0.25, 0.5, 0.8, 0.9, 1.1, 1.25, 2, 4)
                .register(registry);
    }

    private Timer error(String tier) {
        return Timer.builder("trims_prediction_error")
                .description("How far a routed request's time at the agent was from its prediction, either way")
                .tag("tier", tier)
                .publishPercentileHistogram()
                .register(registry);
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
