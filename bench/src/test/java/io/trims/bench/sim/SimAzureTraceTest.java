package io.trims.bench.sim;

import io.trims.bench.sim.workload.AzureSample;
import io.trims.bench.sim.workload.AzureTrace;
import io.trims.bench.sim.workload.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Azure Functions 2019 reader: minutes, days, functions to models, thinning. */
class SimAzureTraceTest {

    private static final long MINUTE = 60_000_000_000L;

    @TempDir
    Path dir;

    /** A day file whose rows have {@code counts} invocations in minutes 1, 2, 3 and none after. */
    private Path day(String name, int[][] counts) throws Exception {
        StringBuilder csv = new StringBuilder("HashOwner,HashApp,HashFunction,Trigger");
        for (int m = 1; m <= 1440; m++) {
            csv.append(',').append(m);
        }
        csv.append('\n');
        for (int f = 0; f < counts.length; f++) {
            csv.append("o,a").append(",f").append(f).append(",http");
            for (int m = 0; m < 1440; m++) {
                csv.append(',').append(m < counts[f].length ? counts[f][m] : 0);
            }
            csv.append('\n');
        }
        return Files.writeString(dir.resolve("invocations_per_function_md.anon." + name + ".csv"), csv);
    }

    @Test
    void everyInvocationFallsInItsMinuteOfItsDay() throws Exception {
        day("d01", new int[][]{{2, 0, 1}, {0, 3, 0}});
        day("d02", new int[][]{{1, 0, 0}, {0, 0, 0}, {0, 0, 4}});
        Trace t = AzureTrace.of(dir).generate(1_000, 10, 1);
        assertEquals(11, t.size());
        long[] perMinute = new long[1440 * 2];
        for (long at : t.arrivalNanos()) {
            perMinute[(int) (at / MINUTE)]++;
        }
        assertEquals(2, perMinute[0]);
        assertEquals(3, perMinute[1]);
        assertEquals(1, perMinute[2]);
        assertEquals(1, perMinute[1440]);
        assertEquals(4, perMinute[1442]);
        // Functions in order of first appearance are models 0, 1, 2.
        assertEquals(4, Arrays.stream(t.models()).filter(m -> m == 2).count());
        assertEquals(3, Arrays.stream(t.models()).filter(m -> m == 1).count());
    }

    @Test
    void fewerInvocationsKeepEachFunctionsShareAndFunctionsFoldOntoModels() throws Exception {
        day("d01", new int[][]{{100, 100}, {50, 50}, {10, 10}});
        Trace t = AzureTrace.of(dir).generate(160, 2, 1);
        assertEquals(160, t.size());
        // Half of each function's invocations; function 2 folds onto model 0.
        assertEquals(100 + 10, Arrays.stream(t.models()).filter(m -> m == 0).count());
        assertEquals(50, Arrays.stream(t.models()).filter(m -> m == 1).count());
        assertEquals(2, AzureTrace.of(dir).modelsUsed(2));
    }

    @Test
    void theGeneratedSampleReadsBackWhole() throws Exception {
        Path sample = dir.resolve("invocations_per_function_md.anon.d01.csv.gz");
        AzureSample.write(sample, 30, 7);
        long written;
        try (var in = new GZIPInputStream(Files.newInputStream(sample))) {
            written = new String(in.readAllBytes()).lines().skip(1)
                    .mapToLong(l -> Arrays.stream(l.split(",")).skip(4).mapToLong(Long::parseLong).sum()).sum();
        }
        Trace t = AzureTrace.of(sample).generate(Integer.MAX_VALUE, 1000, 1);
        assertEquals(written, t.size());
        assertTrue(t.distinctModels() <= 30);
    }
}
