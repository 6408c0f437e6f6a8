package io.trims.bench.sim;

import io.trims.agent.AgentConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole command on a small scale: every workload (the Azure sample included), every pair, both reports. */
class SimReportSmokeTest {

    @TempDir
    Path out;

    @Test
    void theReportsNameEveryWorkloadPairAndBound() throws Exception {
        String[] args = {"--invocations", "1500", "--models", "40", "--hosts", "3", "--gpu", "0.02",
                "--speed-check", "false", "--out", out.toString(), "--label", "smoke"};
        AgentConfig agent = AgentConfig.fromEnv(Map.of("TRIMS_HOST", "sim"));
        SimOptions options = SimOptions.parse(args, Map.of(), agent.loadThreads());
        Simulator.run(options, agent);

        String md = Files.readString(out.resolve("simulator.md"));
        for (String section : List.of("## Settings", "## Workloads", "## zipf-0.90", "## bursty", "## diurnal",
                "## azure", "## Bounds", "## Default policies against MIN", "## CSV", "reference, not the optimum")) {
            assertTrue(md.contains(section), "the report lacks " + section);
        }
        List<String> csv = Files.readAllLines(out.resolve("simulator.csv"));
        assertTrue(csv.get(0).startsWith("workload,placement,eviction,requests,gpu_hit_ratio,cpu_hit_ratio"));
        MarkdownCheck registered = MarkdownCheck.of(options);
        int perWorkload = registered.placements() * registered.evictions() + registered.evictions() + 2;
        assertEquals(1 + 4 * perWorkload, csv.size());
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("azure,bound,belady-min,")));
        assertTrue(csv.stream().skip(1).filter(l -> !l.contains(",bound,"))
                .anyMatch(l -> Double.parseDouble(l.split(",")[4]) > 0), "some pair serves from the GPU tier");
        for (String line : csv.subList(1, csv.size())) {
            assertEquals(15, line.split(",", -1).length, line);
        }
    }

    /** How many of the default policy names are registered now (more are added as colleagues merge them). */
    private record MarkdownCheck(int placements, int evictions) {
        static MarkdownCheck of(SimOptions options) {
            var policies = Simulator.policies(options, "lru");
            return new MarkdownCheck(policies.placements().size(), policies.evictions().size());
        }
    }
}
