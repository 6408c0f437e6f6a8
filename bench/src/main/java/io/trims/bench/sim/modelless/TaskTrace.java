package io.trims.bench.sim.modelless;

import io.trims.bench.sim.workload.Popularity;
import io.trims.bench.sim.workload.Trace;
import io.trims.policy.variant.Variant;

import java.util.List;
import java.util.Random;

/**
 * Model-less requests: request {@code i} asks task {@code tasks[i]} to answer within {@code targetsMs[i]} with a
 * variant at least {@code minAccuracy[i]} accurate, at Poisson arrivals. Tasks are drawn Zipf-popular; each
 * request's latency target is drawn from {@code targets} (e.g. interactive, standard, batch), and its accuracy floor
 * is the accuracy of one of its task's variants drawn uniformly (the smallest's floor admits every variant). The
 * trace's model of each request is its task's smallest variant, a hint the choice may ignore.
 */
public record TaskTrace(Trace trace, int[] tasks, double[] targetsMs, double[] minAccuracy) {

    public static TaskTrace generate(TaskCatalogue catalogue, int requests, double perSecond, double skew,
                                     List<Double> targets, long seed) {
        Random random = new Random(seed);
        Popularity popularity = new Popularity(catalogue.tasks(), skew, seed);
        int[] tasks = new int[requests];
        int[] models = new int[requests];
        double[] targetsMs = new double[requests];
        double[] minAccuracy = new double[requests];
        long[] arrivals = new long[requests];
        double at = 0;
        for (int i = 0; i < requests; i++) {
            at += -Math.log(1 - random.nextDouble()) / perSecond * 1e9;
            arrivals[i] = Math.round(at);
            tasks[i] = popularity.draw(random);
            models[i] = catalogue.model(catalogue.variants().get(tasks[i]).get(0)).index();
            targetsMs[i] = targets.get(random.nextInt(targets.size()));
            List<Variant> variants = catalogue.variants().get(tasks[i]);
            minAccuracy[i] = variants.get(random.nextInt(variants.size())).accuracy();
        }
        String description = String.format(java.util.Locale.ROOT, "%d tasks (Zipf %.2f), Poisson %.1f/s, "
                + "latency targets %s ms, accuracy floors at one of the task's variants", catalogue.tasks(), skew, perSecond,
                targets);
        return new TaskTrace(new Trace("model-less", description, models, arrivals), tasks, targetsMs, minAccuracy);
    }
}
