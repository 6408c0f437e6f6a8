package io.trims.placement;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestRatesTest {

    /** Seconds since the epoch of a fixed instant, so the buckets are known. */
    private static final long T = 1_800_000_000L;

    private static RequestLog.Entry entry(String model, long atMillis, double latencyMs, int status) {
        return new RequestLog.Entry(1, atMillis, model, "1", "agent-1", "cpu", "cpu", status, latencyMs, 1);
    }

    private static JsonObject only(JsonArray models) {
        assertEquals(1, models.size(), models.encode());
        return models.getJsonObject(0);
    }

    @Test
    void countsAndPercentilesPerWholeSecondOverTheLastMinute() {
        RequestRates rates = new RequestRates();
        for (int i = 1; i <= 100; i++) {
            rates.record(entry("resnet", T * 1000 + i, i, i <= 3 ? 500 : 200));
        }
        rates.record(entry("resnet", (T + 2) * 1000 + 999, 7, 200));
        rates.record(entry("resnet", (T + 3) * 1000, 8, 200));

        JsonObject resnet = only(rates.toJson((T + 3) * 1000 + 500));
        assertEquals("resnet", resnet.getString("model"));
        assertEquals("1", resnet.getString("version"));
        long from = T + 2 - RequestRates.WINDOW_SECONDS + 1;
        assertEquals(from, resnet.getLong("from"), "the window ends with the last whole second");
        JsonArray count = resnet.getJsonArray("count");
        assertEquals(RequestRates.WINDOW_SECONDS, count.size());
        int t = (int) (T - from);
        assertEquals(100, count.getInteger(t));
        assertEquals(0, count.getInteger(t + 1));
        assertEquals(1, count.getInteger(t + 2));
        assertEquals(3, resnet.getJsonArray("errors").getInteger(t));
        assertEquals(50.0, resnet.getJsonArray("p50Ms").getDouble(t));
        assertEquals(99.0, resnet.getJsonArray("p99Ms").getDouble(t));
        assertNull(resnet.getJsonArray("p50Ms").getValue(t + 1), "a second without requests has no percentile");
        assertEquals(7.0, resnet.getJsonArray("p99Ms").getDouble(t + 2));
    }

    @Test
    void aModelLeavesWhenItHasNoRequestInTheWindowAndOldSecondsAreReused() {
        RequestRates rates = new RequestRates();
        rates.record(entry("old", T * 1000, 5, 200));
        rates.record(entry("new", (T + 30) * 1000, 5, 200));
        assertEquals(2, rates.toJson((T + 31) * 1000).size());
        JsonObject left = only(rates.toJson((T + 62) * 1000));
        assertEquals("new", left.getString("model"));

        // The slot of second T + 30 is reused a window later: its old count must not leak into the new second.
        long later = T + 30 + RequestRates.WINDOW_SECONDS;
        rates.record(entry("new", later * 1000, 9, 200));
        JsonObject again = only(rates.toJson((later + 1) * 1000));
        JsonArray count = again.getJsonArray("count");
        assertEquals(1, count.getInteger(RequestRates.WINDOW_SECONDS - 1));
        assertEquals(1, count.stream().mapToInt(c -> (Integer) c).sum());
    }

    @Test
    void atMostMaxModelsTheLeastRecentlyRequestedGoFirst() {
        RequestRates rates = new RequestRates();
        for (int m = 0; m <= RequestRates.MAX_MODELS; m++) {
            rates.record(entry("m" + m, T * 1000, 1, 200));
        }
        JsonArray models = rates.toJson((T + 1) * 1000);
        assertEquals(RequestRates.MAX_MODELS, models.size());
        assertTrue(models.stream().noneMatch(m -> ((JsonObject) m).getString("model").equals("m0")));
    }

    @Test
    void aBusySecondKeepsItsExactCountAndABoundedSampleForItsPercentiles() {
        RequestRates rates = new RequestRates();
        Random random = new Random(7);
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < 20 * RequestRates.SAMPLE; i++) {
            double latency = 1 + random.nextDouble() * 99;
            latencies.add(latency);
            rates.record(entry("busy", T * 1000 + (i % 1000), latency, 200));
        }
        Collections.sort(latencies);
        JsonObject busy = only(rates.toJson((T + 1) * 1000));
        int last = RequestRates.WINDOW_SECONDS - 1;
        assertEquals(20 * RequestRates.SAMPLE, busy.getJsonArray("count").getInteger(last));
        double median = latencies.get(latencies.size() / 2);
        double sampled = busy.getJsonArray("p50Ms").getDouble(last);
        assertTrue(Math.abs(sampled - median) < 10, "a uniform sample's median is near the true one: " + sampled
                + " vs " + median);
    }
}
