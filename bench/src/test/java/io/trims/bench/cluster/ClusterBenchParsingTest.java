package io.trims.bench.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterBenchParsingTest {

    @TempDir
    Path dir;

    @Test
    void agentCountersAreSummedOverHostsAndGroupedByTheirLabel() {
        String text = """
                # HELP trims_fetch_bytes_total Bytes fetched from object storage
                # TYPE trims_fetch_bytes_total counter
                trims_fetch_bytes_total{host="agent-1"} 1000.0
                trims_fetch_bytes_total{host="agent-2"} 2.5E3
                trims_evictions_total{host="agent-1",tier="cpu"} 2.0
                trims_evictions_total{host="agent-2",tier="cpu"} 1.0
                trims_evictions_total{host="agent-2",tier="disk"} 4.0
                trims_loads_total{host="agent-1",source="remote"} 3.0
                trims_tier_hits_total{host="agent-1",tier="cpu"} 9.0
                """;
        AgentScrape scrape = AgentScrape.parse(text);
        assertEquals(3500, scrape.fetchBytes());
        assertEquals(3.0, scrape.evictions().get("cpu"));
        assertEquals(4.0, scrape.evictions().get("disk"));
        assertEquals(3.0, scrape.loads().get("remote"));
        AgentScrape later = AgentScrape.parse(text.replace("2.5E3", "4.5E3"));
        assertEquals(2000, later.since(scrape).fetchBytes());
        assertEquals(0.0, later.since(scrape).evictions().get("cpu"));
    }

    @Test
    void theSimulatorCsvIsReadAsTheSimulatorWritesIt() throws Exception {
        Path csv = dir.resolve("simulator.csv");
        Files.writeString(csv, """
                workload,placement,eviction,requests,gpu_hit_ratio,cpu_hit_ratio,disk_hit_ratio,cold_start_ratio,memory_hit_ratio,failed_ratio,bytes_fetched,load_delay_mean_ms,load_delay_p99_ms,latency_mean_ms,latency_p99_ms
                zipf,fastest-tier,lru,100,0,0.75,0.1,0.15,0.75,0,1,1,1,1,1
                zipf,random,gdsf,100,0,0.5,,0.5,0.5,0,1,1,1,1,1
                zipf,bound,belady-min,100,,,,0.1,0.875,,1,,,,
                azure,completion-time,lru,100,0,0.5,0.1,0.4,0.5,0,1,1,1,1,1
                """);
        List<SimulatorCsv.Row> rows = SimulatorCsv.read(csv);
        assertEquals(3, rows.size(), "the bound rows are the pairs' bounds, not pairs");
        assertEquals("fastest-tier + lru", rows.get(0).policy());
        assertEquals(0.25, rows.get(0).misses(), 1e-9);
        assertEquals(0.125, rows.get(0).minMisses(), 1e-9);
        assertTrue(Double.isNaN(rows.get(1).diskHits()));
        assertTrue(Double.isNaN(rows.get(0).infiniteMisses()), "no infinite bound in this file");
        assertTrue(Double.isNaN(rows.get(2).minMisses()), "no bound for azure");
    }

    @Test
    void quantilesAreNearestRank() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, Figures.quantile(sorted, 0.5));
        assertEquals(10, Figures.quantile(sorted, 0.95));
        assertEquals(1, Figures.quantile(sorted, 0.0));
        assertTrue(Double.isNaN(Figures.quantile(new double[0], 0.5)));
    }
}
