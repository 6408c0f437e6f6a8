package io.trims.bench.sim.report;

import io.trims.bench.sim.Experiment;
import io.trims.bench.sim.SimResult;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** One workload's experiment and the results of every policy pair run over it. */
public record WorkloadRuns(Experiment experiment, List<SimResult> results) {

    public WorkloadRuns {
        results = List.copyOf(results);
    }

    public Optional<SimResult> of(String placement, String eviction) {
        return results.stream().filter(r -> r.placement().equals(placement) && r.eviction().equals(eviction))
                .findFirst();
    }

    /** The cluster run with the fewest memory misses (pooled runs left out). */
    public Optional<SimResult> fewestMemoryMisses() {
        return results.stream().filter(r -> !r.placement().equals(Experiment.POOLED))
                .min(Comparator.comparingDouble(SimResult::memoryMissRatio));
    }
}
