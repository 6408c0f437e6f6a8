package io.trims.placement;

import io.trims.directory.ModelId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Triton's statistics extension, counted at this front door per model version: every infer request routed to a
 * version is a success (the agent answered below 400) or a failure, with its time from routing to answer; a
 * success also adds the agent's queue time (accepted to run start, a cold start's load included) and run time, as
 * its {@code trims-queue-us} and {@code trims-compute-us} headers report them. In memory, per front door process:
 * another front door, or a restart, counts from zero. Lock-free (one {@link LongAdder} per figure).
 */
final class ModelStatistics {

    static final String QUEUE_HEADER = "trims-queue-us";
    static final String COMPUTE_HEADER = "trims-compute-us";

    private final Map<ModelId, Counts> byModel = new ConcurrentHashMap<>();

    /**
     * One answered request.
     *
     * @param queueNanos   the agent's queue time, negative when it did not say
     * @param computeNanos the agent's run time, negative when it did not say
     */
    void record(ModelId model, boolean success, long nanos, long queueNanos, long computeNanos) {
        Counts counts = byModel.computeIfAbsent(model, m -> new Counts());
        counts.lastInference.accumulateAndGet(System.currentTimeMillis(), Math::max);
        if (!success) {
            counts.fail.add(nanos);
            return;
        }
        counts.success.add(nanos);
        if (queueNanos >= 0) {
            counts.queue.add(queueNanos);
        }
        if (computeNanos >= 0) {
            counts.compute.add(computeNanos);
        }
    }

    /** A deleted version's counts go with it. */
    void forget(ModelId model) {
        byModel.remove(model);
    }

    /** {@code {"model_stats": [...]}} for the given versions, in their order; a version never asked for is all zeros. */
    JsonObject json(List<ModelId> models) {
        JsonArray stats = new JsonArray();
        for (ModelId model : models) {
            stats.add(json(model, byModel.getOrDefault(model, new Counts())));
        }
        return new JsonObject().put("model_stats", stats);
    }

    private static JsonObject json(ModelId model, Counts counts) {
        long successes = counts.success.count.sum();
        return new JsonObject()
                .put("name", model.name())
                .put("version", model.version())
                .put("last_inference", counts.lastInference.get())
                // One request is one inference and one execution: trims neither batches requests nor counts rows.
                .put("inference_count", successes)
                .put("execution_count", successes)
                .put("inference_stats", new JsonObject()
                        .put("success", counts.success.json())
                        .put("fail", counts.fail.json())
                        .put("queue", counts.queue.json())
                        // Parsing inputs and writing outputs are not timed apart from the run: counted in compute_infer.
                        .put("compute_input", Duration.none())
                        .put("compute_infer", counts.compute.json())
                        .put("compute_output", Duration.none())
                        // trims has no response cache; perf_analyzer reads both fields, so both are there.
                        .put("cache_hit", Duration.none())
                        .put("cache_miss", Duration.none()))
                .put("batch_stats", new JsonArray());
    }

    /** The agent's figure in a header of microseconds (fractions allowed), as nanoseconds; -1 when absent or bad. */
    static long headerNanos(String micros) {
        if (micros == null) {
            return -1;
        }
        try {
            double value = Double.parseDouble(micros.trim());
            return value >= 0 && Double.isFinite(value) ? Math.round(value * 1_000) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static final class Counts {
        final AtomicLong lastInference = new AtomicLong();
        final Duration success = new Duration();
        final Duration fail = new Duration();
        final Duration queue = new Duration();
        final Duration compute = new Duration();
    }

    /** Triton's {@code $duration_stat}: how many, and their total nanoseconds. */
    private static final class Duration {
        final LongAdder count = new LongAdder();
        final LongAdder nanos = new LongAdder();

        void add(long ns) {
            count.increment();
            nanos.add(ns);
        }

        /** A figure trims does not measure apart. */
        static JsonObject none() {
            return new JsonObject().put("count", 0).put("ns", 0);
        }

        JsonObject json() {
            return new JsonObject().put("count", count.sum()).put("ns", nanos.sum());
        }
    }
}
