package io.trims.placement;

import io.trims.directory.ModelId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Requests per second and the latency median and 99th percentile of each second, per model version, over the last
 * {@link #WINDOW_SECONDS} whole seconds: the live page's sparklines. Bounded: {@link #MAX_MODELS} models (the least
 * recently requested goes first), and per second a uniform sample of at most {@link #SAMPLE} latencies (reservoir
 * sampling), so the percentiles are exact up to that many requests a second and estimates above; counts are exact.
 */
final class RequestRates {

    static final int WINDOW_SECONDS = 60;
    static final int SAMPLE = 512;
    static final int MAX_MODELS = 32;

    /** One second of one model's requests. */
    private static final class Second {
        long epochSecond = Long.MIN_VALUE;
        int count;
        int errors;
        final double[] sample = new double[SAMPLE];

        void reset(long second) {
            epochSecond = second;
            count = 0;
            errors = 0;
        }

        void add(double latencyMs, boolean failed) {
            if (count < SAMPLE) {
                sample[count] = latencyMs;
            } else {
                int slot = ThreadLocalRandom.current().nextInt(count + 1);
                if (slot < SAMPLE) {
                    sample[slot] = latencyMs;
                }
            }
            count++;
            if (failed) {
                errors++;
            }
        }

        /** Nearest-rank percentile of the sample, {@code q} in (0, 1]. */
        static double percentile(double[] sorted, double q) {
            return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
        }
    }

    /** Seconds of one model, indexed by epoch second modulo the window. */
    private static final class Series {
        final Second[] seconds = new Second[WINDOW_SECONDS];
        long newest = Long.MIN_VALUE;

        Second at(long second) {
            int slot = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
            if (seconds[slot] == null) {
                seconds[slot] = new Second();
            }
            if (seconds[slot].epochSecond != second) {
                seconds[slot].reset(second);
            }
            newest = Math.max(newest, second);
            return seconds[slot];
        }
    }

    private final Map<ModelId, Series> byModel = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ModelId, Series> eldest) {
            return size() > MAX_MODELS;
        }
    };

    /** Counts one answered request in the second it was answered. */
    synchronized void record(RequestLog.Entry entry) {
        byModel.computeIfAbsent(new ModelId(entry.model(), entry.version()), k -> new Series())
                .at(Math.floorDiv(entry.atMillis(), 1000L))
                .add(entry.latencyMs(), entry.status() >= 400);
    }

    /**
     * Each model requested in the window: its name and version, {@code from} (the epoch second of the first
     * point), and per whole second up to {@code nowMillis}'s: {@code count}, {@code errors}, {@code p50Ms} and
     * {@code p99Ms} (null in a second without requests). Models with no request in the window are forgotten.
     */
    synchronized JsonArray toJson(long nowMillis) {
        long to = Math.floorDiv(nowMillis, 1000L) - 1;
        long from = to - WINDOW_SECONDS + 1;
        JsonArray models = new JsonArray();
        for (Iterator<Map.Entry<ModelId, Series>> it = byModel.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ModelId, Series> model = it.next();
            Series series = model.getValue();
            if (series.newest < from) {
                it.remove();
                continue;
            }
            JsonArray counts = new JsonArray();
            JsonArray errors = new JsonArray();
            JsonArray p50 = new JsonArray();
            JsonArray p99 = new JsonArray();
            for (long s = from; s <= to; s++) {
                Second second = series.seconds[(int) Math.floorMod(s, (long) WINDOW_SECONDS)];
                if (second == null || second.epochSecond != s || second.count == 0) {
                    counts.add(0);
                    errors.add(0);
                    p50.addNull();
                    p99.addNull();
                    continue;
                }
                double[] sorted = Arrays.copyOf(second.sample, Math.min(second.count, SAMPLE));
                Arrays.sort(sorted);
                counts.add(second.count);
                errors.add(second.errors);
                p50.add(Second.percentile(sorted, 0.50));
                p99.add(Second.percentile(sorted, 0.99));
            }
            models.add(new JsonObject().put("model", model.getKey().name())
                    .put("version", model.getKey().version()).put("from", from)
                    .put("count", counts).put("errors", errors).put("p50Ms", p50).put("p99Ms", p99));
        }
        return models;
    }
}
