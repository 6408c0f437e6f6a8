package io.trims.bench.sim;

import io.trims.bench.sim.workload.Catalogue;
import io.trims.bench.sim.workload.SimModel;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;
import io.trims.policy.eviction.CopiesElsewhere;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulated tier directory, indexed by model: every copy of each model, on which host, in which tier, in
 * which state. Placement reads one model's copies per request, and a copy count per model and tier is one short
 * scan, so nothing here grows with the number of residencies in the cluster.
 */
final class HolderIndex {

    private final Catalogue catalogue;
    private final List<List<Residency>> byModel;

    HolderIndex(Catalogue catalogue) {
        this.catalogue = catalogue;
        byModel = new ArrayList<>(catalogue.size());
        for (int m = 0; m < catalogue.size(); m++) {
            byModel.add(new ArrayList<>(4));
        }
    }

    /** Publishes a copy, replacing the host's earlier record of it in that tier. */
    void put(String host, SimModel model, TierLevel tier, ResidencyState state, long bytes, long nowMillis) {
        List<Residency> copies = byModel.get(model.index());
        Residency copy = new Residency(host, model.id().name(), model.id().version(), tier, state, bytes, nowMillis);
        for (int i = 0; i < copies.size(); i++) {
            Residency r = copies.get(i);
            if (r.tier() == tier && r.host().equals(host)) {
                copies.set(i, copy);
                return;
            }
        }
        copies.add(copy);
    }

    void remove(String host, int model, TierLevel tier) {
        byModel.get(model).removeIf(r -> r.tier() == tier && r.host().equals(host));
    }

    /** The model's copies now; the list changes as the simulation goes on, so a snapshot copies it. */
    List<Residency> holders(int model) {
        return byModel.get(model);
    }

    /** What a cluster-aware policy on {@code host} is told: the copies other hosts hold, LOADING ones included. */
    CopiesElsewhere elsewhereOf(String host) {
        return model -> byModel.get(catalogue.model(model).index()).stream()
                .filter(r -> !r.host().equals(host))
                .toList();
    }

    /** Copies in the CPU tier of any host, LOADING ones included: how far placement has replicated the model. */
    int cpuCopies(int model) {
        int n = 0;
        for (Residency r : byModel.get(model)) {
            if (r.tier() == TierLevel.CPU) {
                n++;
            }
        }
        return n;
    }
}
