package io.trims.bench.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster benchmark's smoke run end to end: real processes (front door, three agents, the baseline's function
 * hosts, all from the built trims.jar and class path), MB-sized models, a few seconds per system. It checks that
 * the report and its plots are produced and every request is accounted for, never how fast anything was.
 */
class ClusterBenchSmokeTest {

    @TempDir
    Path out;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void theSmokeRunWritesTheReportAndPlotsAndCountsEveryRequest() throws Exception {
        System.setProperty("java.awt.headless", "true");
        Files.writeString(out.resolve("simulator.csv"), """
                workload,placement,eviction,requests,gpu_hit_ratio,cpu_hit_ratio,disk_hit_ratio,cold_start_ratio,memory_hit_ratio,failed_ratio,bytes_fetched,load_delay_mean_ms,load_delay_p99_ms,latency_mean_ms,latency_p99_ms
                zipf,fastest-tier,lru,100,0,0.6,0.2,0.2,0.6,0,1,1,1,1,1
                zipf,random,lru,100,0,0.4,0.2,0.4,0.4,0,1,1,1,1,1
                zipf,bound,belady-min,100,,,,0.1,0.8,,1,,,,
                zipf,bound,infinite,100,,,,0.01,0.95,,1,,,,
                """);

        ClusterBench.Result result = ClusterBench.run(Map.of("--smoke", "true", "--out", out.toString(),
                "--label", "smoke test"));

        String report = Files.readString(result.report());
        assertTrue(report.contains("## Systems"), report);
        assertTrue(report.contains("## trims against per-invocation loading"), report);
        assertTrue(report.contains("## trims against the ideal"), report);
        assertEquals(5, result.systems().size());
        int arrivals = result.workload().arrivals().size();
        assertTrue(arrivals > 0);
        for (SystemResult system : result.systems()) {
            String label = system.spec().label();
            assertTrue(report.contains("## " + label + ": "), "a table for " + label);
            assertEquals(arrivals, system.outcomes().size(), label + " accounts for every arrival");
            assertEquals(arrivals, system.ok() + system.failed() + system.unanswered(), label);
            assertTrue(system.ok() > 0, label + " answered some requests");
            assertEquals(!system.spec().perInvocation(), !system.copies().isEmpty(),
                    label + ": copies sampled for clusters only");
        }
        for (String png : new String[]{"latency-cdf.png", "hottest-copies.png", "simulator-hit-ratio.png"}) {
            assertTrue(report.contains("(" + png + ")"), "the report shows " + png);
            BufferedImage image = ImageIO.read(out.resolve(png).toFile());
            assertNotNull(image, png + " is a readable image");
            assertTrue(image.getWidth() > 100 && image.getHeight() > 100, png);
        }
        assertFalse(Files.readString(out.resolve("requests.csv")).isBlank());
    }
}
