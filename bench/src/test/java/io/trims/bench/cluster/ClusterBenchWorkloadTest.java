package io.trims.bench.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterBenchWorkloadTest {

    @Test
    void theSameSeedGivesTheSameSequence() {
        Workload a = Workload.poisson(5, 60, 6, 0.8, 42);
        Workload b = Workload.poisson(5, 60, 6, 0.8, 42);
        assertEquals(a.arrivals(), b.arrivals());
        assertNotEquals(a.arrivals(), Workload.poisson(5, 60, 6, 0.8, 43).arrivals());
    }

    @Test
    void arrivalsKeepTheRateAndTheZipfShares() {
        Workload w = Workload.poisson(50, 400, 4, 1.0, 7);
        int n = w.arrivals().size();
        assertEquals(20_000, n, 600, "Poisson count within 4 standard deviations");
        double[] shares = Workload.zipfShares(4, 1.0);
        assertEquals(12.0 / 25, shares[0], 1e-9);
        for (int r = 0; r < 4; r++) {
            assertEquals(shares[r], (double) w.count(r) / n, 0.02);
        }
        long previous = -1;
        for (Workload.Arrival a : w.arrivals()) {
            assertTrue(a.offsetNanos() > previous && a.offsetNanos() < 400_000_000_000L);
            previous = a.offsetNanos();
        }
    }

    @Test
    void systemsAreReadFromTheirSpelling() {
        List<SystemSpec> systems = SystemSpec.parse(SystemSpec.DEFAULTS);
        assertEquals(List.of("per-invocation", "random", "modelmesh", "trims", "ideal"),
                systems.stream().map(SystemSpec::label).toList());
        assertTrue(systems.get(0).perInvocation());
        assertEquals("holder-lru", systems.get(2).placement());
        assertNull(systems.get(3).placement(), "default means: whatever the cluster's default is");
        assertNull(systems.get(3).eviction());
        assertTrue(systems.get(4).ideal());
        assertEquals("fastest-tier", systems.get(4).placement());
        assertThrows(IllegalArgumentException.class, () -> SystemSpec.parse("x=random"));
    }
}
