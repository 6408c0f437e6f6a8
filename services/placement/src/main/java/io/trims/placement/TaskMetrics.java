package io.trims.placement;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Model-less requests at the front door: {@code trims_task_requests_total{task, variant, outcome}}, and for those
 * with a latency target whether the answer came within it ({@code trims_task_slo_met_total{task}},
 * {@code trims_task_slo_missed_total{task}}, from arrival to answer at the front door). A task's series start at 0
 * with its first request; a request no variant could take is counted under variant {@value #NO_VARIANT}.
 */
final class TaskMetrics {

    static final String NO_VARIANT = "_none";

    private final MeterRegistry registry;
    private final Set<String> seenTasks = ConcurrentHashMap.newKeySet();

    TaskMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void answered(String task, String variant, int status) {
        if (seenTasks.add(task)) {
            slo(task, "met");
            slo(task, "missed");
        }
        Counter.builder("trims_task_requests")
                .description("Model-less infer requests answered, by task, the variant that served and outcome")
                .tag("task", task).tag("variant", variant).tag("outcome", PlacementMetrics.outcome(status))
                .register(registry).increment();
    }

    /** A request with a latency target, answered after {@code tookMs}. */
    void target(String task, double targetMs, double tookMs) {
        slo(task, tookMs <= targetMs ? "met" : "missed").increment();
    }

    private Counter slo(String task, String outcome) {
        return Counter.builder("trims_task_slo_" + outcome)
                .description("Model-less requests with a latency target answered " + (outcome.equals("met")
                        ? "within" : "after") + " it, at the front door")
                .tag("task", task).register(registry);
    }
}
