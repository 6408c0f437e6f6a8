package io.trims.bench.sim.workload;

import io.trims.directory.ModelId;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The models a workload requests, by index. */
public final class Catalogue {

    private final List<SimModel> models;
    private final Map<ModelId, Integer> indexOf = new HashMap<>();
    private final long totalBytes;
    private final long largestBytes;

    public Catalogue(List<SimModel> models) {
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i).index() != i || indexOf.put(models.get(i).id(), i) != null) {
                throw new IllegalArgumentException("model " + models.get(i).id() + " is not at its index " + i
                        + " or is there twice");
            }
        }
        this.models = List.copyOf(models);
        this.totalBytes = models.stream().mapToLong(SimModel::bytes).sum();
        this.largestBytes = models.stream().mapToLong(SimModel::bytes).max().orElse(0);
    }

    public SimModel model(int index) {
        return models.get(index);
    }

    /** The model a tier names by its id. */
    public SimModel model(ModelId id) {
        Integer index = indexOf.get(id);
        if (index == null) {
            throw new IllegalArgumentException(id + " is not in the catalogue");
        }
        return models.get(index);
    }

    public int size() {
        return models.size();
    }

    public long totalBytes() {
        return totalBytes;
    }

    public long largestBytes() {
        return largestBytes;
    }

    /** The first {@code count} models: a workload that requests fewer models than the catalogue holds. */
    public Catalogue first(int count) {
        return count >= models.size() ? this : new Catalogue(models.subList(0, count));
    }
}
