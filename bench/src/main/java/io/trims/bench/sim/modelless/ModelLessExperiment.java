package io.trims.bench.sim.modelless;

import io.trims.bench.sim.ClusterSpec;
import io.trims.bench.sim.Experiment;
import io.trims.bench.sim.Percentiles;
import io.trims.bench.sim.SimResult;
import io.trims.bench.sim.Simulation;
import io.trims.policy.placement.PlacementPolicies;
import io.trims.policy.placement.PlacementPolicy;
import io.trims.policy.variant.Variant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A model-less trace replayed once per {@link VariantStrategy} through the same simulated cluster (same placement
 * and eviction policies, same arrivals and targets): SLO attainment and accuracy served, side by side.
 */
public record ModelLessExperiment(TaskCatalogue catalogue, TaskTrace trace, ClusterSpec cluster, String placement,
                                  String eviction) {

    public static ModelLessExperiment prepare(TaskCatalogue catalogue, TaskTrace trace, int hosts,
                                              Experiment.HostShape shape, String placement, String eviction) {
        return new ModelLessExperiment(catalogue, trace,
                new ClusterSpec(hosts, shape.sizedFor(catalogue.models(), hosts)), placement, eviction);
    }

    public List<ModelLessResult> runAll() {
        List<ModelLessResult> results = new ArrayList<>();
        for (VariantStrategy strategy : VariantStrategy.values()) {
            results.add(run(strategy));
        }
        return results;
    }

    public ModelLessResult run(VariantStrategy strategy) {
        PlacementPolicy policy = PlacementPolicies.byName(placement);
        Simulation.Replay replay = Simulation.replay(trace.trace(), catalogue.models(), cluster, policy, placement,
                eviction, strategy.choice(catalogue, trace, policy));
        double[] accuracyOf = new double[catalogue.models().size()];
        for (List<Variant> family : catalogue.variants()) {
            for (Variant v : family) {
                accuracyOf[catalogue.model(v).index()] = v.accuracy();
            }
        }
        long[] latencies = replay.latencyNanos();
        int n = latencies.length;
        long met = 0;
        long floors = 0;
        long failed = 0;
        double accuracy = 0;
        for (int i = 0; i < n; i++) {
            double served = accuracyOf[replay.models()[i]];
            accuracy += served;
            if (served >= trace.minAccuracy()[i]) {
                floors++;
            }
            if (latencies[i] < 0) {
                failed++;
            } else if (latencies[i] <= trace.targetsMs()[i] * 1e6) {
                met++;
            }
        }
        SimResult r = replay.result();
        Percentiles answered = new Percentiles(Arrays.stream(latencies).filter(l -> l >= 0).toArray());
        return new ModelLessResult(strategy.label(), n, share(met, n), share(floors, n), share(accuracy, n),
                answered.millis(0.50), answered.millis(0.99), r.servedDisk() + r.servedRemote(), failed,
                r.wallSeconds());
    }

    private static double share(double part, long whole) {
        return whole == 0 ? 0 : part / whole;
    }
}
