package io.trims.bench.sim.modelless;

import io.trims.bench.sim.ArrivalChoice;
import io.trims.bench.sim.workload.SimModel;
import io.trims.policy.placement.PlacementPolicy;
import io.trims.policy.variant.ServiceTargets;
import io.trims.policy.variant.Variant;
import io.trims.policy.variant.VariantChoice;

import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * How a model-less request's variant is picked: trims' {@link VariantChoice} (the same class the front door runs,
 * over the simulated directory, given each request's latency target and accuracy floor), or one of the baselines a
 * caller naming a model would get: always the task's most accurate variant, or always its smallest.
 */
public enum VariantStrategy {
    VARIANT_CHOICE("variant-choice"),
    MOST_ACCURATE("most-accurate"),
    SMALLEST("smallest");

    private final String label;

    VariantStrategy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The choice as the simulation calls it for each arriving request. */
    public ArrivalChoice choice(TaskCatalogue catalogue, TaskTrace trace, PlacementPolicy placement) {
        return switch (this) {
            case VARIANT_CHOICE -> {
                VariantChoice choice = new VariantChoice(placement);
                yield (request, traced, view) -> {
                    List<Variant> variants = catalogue.variants().get(trace.tasks()[request]);
                    List<SimModel> models = variants.stream().map(catalogue::model).toList();
                    ServiceTargets targets = new ServiceTargets(OptionalDouble.of(trace.targetsMs()[request]),
                            OptionalDouble.of(trace.minAccuracy()[request]), OptionalDouble.empty());
                    return choice.choose(view.snapshot(models), variants, targets,
                                    id -> view.dispatched(catalogue.models().model(id)))
                            .map(pick -> catalogue.models().model(pick.variant().model()).index())
                            .orElse(traced);
                };
            }
            case MOST_ACCURATE -> fixed(catalogue, trace, Comparator.comparingDouble(Variant::accuracy).reversed());
            case SMALLEST -> fixed(catalogue, trace, Comparator.comparingLong(Variant::bytes));
        };
    }

    private static ArrivalChoice fixed(TaskCatalogue catalogue, TaskTrace trace, Comparator<Variant> first) {
        int[] byTask = new int[catalogue.tasks()];
        for (int t = 0; t < byTask.length; t++) {
            byTask[t] = catalogue.model(catalogue.variants().get(t).stream().min(first).orElseThrow()).index();
        }
        return (request, traced, view) -> byTask[trace.tasks()[request]];
    }
}
