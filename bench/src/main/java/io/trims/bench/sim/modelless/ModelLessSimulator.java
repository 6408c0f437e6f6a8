package io.trims.bench.sim.modelless;

import io.trims.agent.AgentConfig;
import io.trims.bench.sim.Experiment;
import io.trims.bench.sim.SimOptions;
import io.trims.bench.sim.report.Machine;
import io.trims.bench.sim.workload.ModelProfile;
import io.trims.policy.promotion.PromotionPolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code simulate.sh model-less [options]}: a model-less workload (requests per task with latency targets) through
 * the simulated cluster under each {@link VariantStrategy}, written as {@code simulator-model-less.md}. Options as
 * the simulator's ({@link SimOptions}): {@code --models} is the number of tasks (three variants each),
 * {@code --invocations} the requests, {@code --rate} requests per second per host; the first placement and
 * eviction named are used.
 */
public final class ModelLessSimulator {

    static final int VARIANTS_PER_TASK = 3;
    /** Interactive, standard and batch requests, in equal shares. */
    static final List<Double> TARGETS_MS = List.of(100.0, 1_000.0, 10_000.0);
    /** The smallest variant of a task: 20 to 150 MB, the profile's run time per byte. */
    static final ModelProfile SMALLEST = new ModelProfile(20_000_000L, 150_000_000L,
            ModelProfile.DEFAULT.cpuNanosPerByte(), ModelProfile.DEFAULT.runNoiseSigma(),
            ModelProfile.DEFAULT.gpuSpeedup());

    private ModelLessSimulator() {
    }

    public static void main(String[] args) throws IOException {
        AgentConfig agent = AgentConfig.fromEnv(Map.of("TRIMS_HOST", "sim"));
        SimOptions o = SimOptions.parse(args, System.getenv(), agent.loadThreads());
        ModelLessExperiment e = prepare(o, agent);
        List<ModelLessResult> results = e.runAll();
        Files.createDirectories(o.out());
        Path report = o.out().resolve("simulator-model-less.md");
        Files.writeString(report, markdown(o, e, results));
        System.out.println("wrote " + report);
    }

    static ModelLessExperiment prepare(SimOptions o, AgentConfig agent) {
        TaskCatalogue catalogue = TaskCatalogue.draw(o.models(), VARIANTS_PER_TASK, SMALLEST, o.seed());
        TaskTrace trace = TaskTrace.generate(catalogue, o.invocations(), o.rate() * o.hosts(), o.zipf(), TARGETS_MS,
                o.seed());
        Experiment.HostShape shape = new Experiment.HostShape(o.workers(), o.loadThreads(), o.capacity(),
                o.diskFactor(), o.gpu(), o.fetchMbPerSecond() * 1e6, o.diskMbPerSecond() * 1e6,
                o.gpuMbPerSecond() * 1e6, new PromotionPolicy(agent.gpu().promoteAfter(), agent.gpu().promoteWindowMs()));
        return ModelLessExperiment.prepare(catalogue, trace, o.hosts(), shape, o.placements().get(0),
                o.evictions().get(0));
    }

    static String markdown(SimOptions o, ModelLessExperiment e, List<ModelLessResult> results) {
        StringBuilder md = new StringBuilder("# Model-less serving, simulated\n\n");
        md.append(String.format(Locale.ROOT, "%s%nMachine: %s. %,d requests: %s. %d hosts, CPU tiers %.0f%% of the "
                        + "catalogue's bytes, disk %.1fx CPU; placement `%s`, eviction `%s`; %d variants per task, each "
                        + "%.0fx the size of the last and %.2f more accurate; seed %d.%n%n",
                o.label().isEmpty() ? "" : "Build " + o.label() + ".", Machine.here().describe(),
                e.trace().trace().size(), e.trace().trace().description(), e.cluster().hosts(), 100 * o.capacity(),
                o.diskFactor(), e.placement(), e.eviction(), VARIANTS_PER_TASK, TaskCatalogue.SIZE_STEP,
                TaskCatalogue.ACCURACY_STEP, o.seed()));
        md.append("| strategy | latency targets met | accuracy floors met | mean accuracy served | p50 ms | p99 ms "
                + "| cold starts | failed | wall s |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (ModelLessResult r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f%% | %.1f%% | %.4f | %.1f | %.1f | %,d | %,d | %.1f |%n",
                    r.strategy(), 100 * r.sloAttainment(), 100 * r.floorsMet(), r.meanAccuracy(), r.latencyP50Ms(), r.latencyP99Ms(),
                    r.coldStarts(), r.failed(), r.wallSeconds()));
        }
        return md.toString();
    }
}
