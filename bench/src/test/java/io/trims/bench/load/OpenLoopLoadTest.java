package io.trims.bench.load;

import io.trims.bench.cluster.BenchModel;
import io.trims.bench.cluster.BenchSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI version of bench/scripts/load.sh: a front door and two agents as processes of their own, 20 seconds of
 * 20 requests a second at fixed intervals, sent whatever the answers. Every request must be answered 200, none 5xx;
 * p50 and p99 (from the time each was due) are printed.
 */
class OpenLoopLoadTest {

    private static final double RATE = 20;
    private static final double SECONDS = 20;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void twentySecondsAtAFixedRateGetNo5xx() throws Exception {
        LoadCluster.Shape shape = new LoadCluster.Shape(2,
                new BenchSettings.Budgets(256L << 20, 512L << 20), Map.of());
        try (LoadCluster cluster = LoadCluster.start("load-ci", shape)) {
            BenchModel model = cluster.write("load-mlp", 256, 8, 21);
            byte[] body = cluster.register(model);
            LoadBench.warm(cluster.frontDoor(), model.name(), body, 10);

            LoadResult result = LoadBench.offer(cluster.frontDoor(), model.name(), body, RATE, SECONDS);

            System.out.println("open-loop load, CI version: " + result.summary());
            assertEquals((int) (RATE * SECONDS), result.outcomes().size(), "every arrival of the schedule is counted");
            assertEquals(0, result.serverErrors(), () -> "5xx answers: " + result.errors(5));
            assertEquals(0, result.unanswered(), () -> "unanswered: " + result.errors(5));
            assertEquals(result.outcomes().size(), result.ok(), () -> "not 200: " + result.errors(5));
            assertTrue(result.latencyMs(0.5) <= result.latencyMs(0.99), result.summary());
        }
    }
}
