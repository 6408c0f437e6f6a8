package io.trims.bench.sim.modelless;

import io.trims.bench.sim.workload.Catalogue;
import io.trims.bench.sim.workload.ModelProfile;
import io.trims.bench.sim.workload.SimModel;
import io.trims.policy.variant.Variant;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tasks and their variants for a model-less workload: each task has variants of growing size, each more accurate
 * and dearer than the last, as a model family's small, base and large checkpoints are (all-MiniLM-L6 to
 * bge-base is 90 MB to 440 MB for a few points of STS). The variants are the catalogue's models, task by task.
 *
 * @param variants per task, smallest first, each naming its catalogue model
 */
public record TaskCatalogue(Catalogue models, List<List<Variant>> variants) {

    /** Each variant is this many times the size of the one before. */
    static final double SIZE_STEP = 3.0;
    /** Accuracy of the smallest variant, and what each step up adds, before a little noise per task. */
    static final double BASE_ACCURACY = 0.78;
    static final double ACCURACY_STEP = 0.03;
    /** Cost weight per request: the variant's size in units of 100 MB. */
    static final double BYTES_PER_COST = 100e6;

    /**
     * @param smallest sizes of a task's smallest variant, log-uniform between the profile's bounds; the run time
     *                 per byte and its noise come from the profile too
     */
    public static TaskCatalogue draw(int tasks, int variantsPerTask, ModelProfile smallest, long seed) {
        Random random = new Random(seed);
        double logMin = Math.log(smallest.minBytes());
        double logMax = Math.log(smallest.maxBytes());
        List<SimModel> models = new ArrayList<>(tasks * variantsPerTask);
        List<List<Variant>> variants = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            double base = Math.exp(logMin + random.nextDouble() * (logMax - logMin));
            double taskNoise = 0.01 * random.nextGaussian();
            List<Variant> family = new ArrayList<>(variantsPerTask);
            for (int v = 0; v < variantsPerTask; v++) {
                int index = models.size();
                long bytes = Math.round(base * Math.pow(SIZE_STEP, v));
                long cpu = Math.max(1, Math.round(bytes * smallest.cpuNanosPerByte()
                        * Math.exp(smallest.runNoiseSigma() * random.nextGaussian())));
                SimModel model = new SimModel(index, ModelProfile.idOf(index), bytes, cpu,
                        Math.max(1, Math.round(cpu / smallest.gpuSpeedup())));
                models.add(model);
                family.add(new Variant(model.id(), bytes, true, BASE_ACCURACY + ACCURACY_STEP * v + taskNoise,
                        bytes / BYTES_PER_COST));
            }
            variants.add(List.copyOf(family));
        }
        return new TaskCatalogue(new Catalogue(models), List.copyOf(variants));
    }

    public int tasks() {
        return variants.size();
    }

    /** The catalogue model of a variant. */
    public SimModel model(Variant variant) {
        return models.model(variant.model());
    }
}
