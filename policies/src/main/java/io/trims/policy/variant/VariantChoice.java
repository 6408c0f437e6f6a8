package io.trims.policy.variant;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.ModelId;
import io.trims.policy.placement.CompletionTime;
import io.trims.policy.placement.Dispatched;
import io.trims.policy.placement.Estimate;
import io.trims.policy.placement.Placement;
import io.trims.policy.placement.PlacementPolicy;
import io.trims.policy.placement.PlacementRequest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which variant of a task serves a model-less request, and where (INFaaS's model-less serving, on trims' view of
 * what is warm where). Each variant the targets admit (accuracy floor, cost ceiling) is placed by the placement
 * policy and its completion time estimated with the placement cost model, so a warm copy costs no load and a cold
 * one costs its load. Then:
 * <ul>
 *     <li>with a latency target: the cheapest variant expected within it (ties: the more accurate, then the
 *     sooner); when none is, the one expected soonest, marked as missing the target;</li>
 *     <li>without one: the most accurate warm variant, else the most accurate (ties: the sooner).</li>
 * </ul>
 * A pure function over one snapshot holding every variant's copies, as the live front door and the simulator call
 * it. Empty when the targets admit no variant or no host can take any.
 */
public final class VariantChoice {

    private static final Comparator<VariantPick> SOONEST =
            Comparator.comparingLong((VariantPick p) -> p.estimate().totalNanos());
    private static final Comparator<VariantPick> CHEAPEST =
            Comparator.comparingDouble((VariantPick p) -> p.variant().cost())
                    .thenComparing(Comparator.comparingDouble((VariantPick p) -> p.variant().accuracy()).reversed())
                    .thenComparing(SOONEST);
    private static final Comparator<VariantPick> MOST_ACCURATE =
            Comparator.comparingDouble((VariantPick p) -> p.variant().accuracy()).reversed().thenComparing(SOONEST);

    private final PlacementPolicy placement;

    public VariantChoice(PlacementPolicy placement) {
        this.placement = placement;
    }

    /** @param dispatched what the asking front door has in flight, per variant */
    public Optional<VariantPick> choose(DirectorySnapshot snapshot, List<Variant> variants, ServiceTargets targets,
                                        Function<ModelId, Dispatched> dispatched) {
        List<VariantPick> placed = new ArrayList<>();
        for (Variant variant : variants) {
            if (targets.admits(variant)) {
                place(snapshot, variant, dispatched.apply(variant.model())).ifPresent(placed::add);
            }
        }
        if (placed.isEmpty()) {
            return Optional.empty();
        }
        if (targets.maxLatencyMs().isPresent()) {
            Optional<VariantPick> within = placed.stream()
                    .filter(p -> targets.meetsLatency(p.estimate().totalMillis())).min(CHEAPEST);
            return within.isPresent() ? within : placed.stream().min(SOONEST).map(VariantChoice::missing);
        }
        Optional<VariantPick> warm = placed.stream().filter(VariantPick::warm).min(MOST_ACCURATE);
        return warm.isPresent() ? warm : placed.stream().min(MOST_ACCURATE);
    }

    private Optional<VariantPick> place(DirectorySnapshot snapshot, Variant variant, Dispatched dispatched) {
        PlacementRequest request = variant.request(dispatched);
        Optional<Placement> where = placement.place(snapshot, request);
        if (where.isEmpty()) {
            return Optional.empty();
        }
        Optional<Estimate> estimate = CompletionTime.of(snapshot, request).estimate(where.get().host());
        return estimate.map(e -> new VariantPick(variant, where.get(), e, true));
    }

    private static VariantPick missing(VariantPick closest) {
        return new VariantPick(closest.variant(), closest.placement(), closest.estimate(), false);
    }
}
