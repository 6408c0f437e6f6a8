package io.trims.bench.sim;

import io.trims.bench.sim.workload.Catalogue;
import io.trims.bench.sim.workload.ModelProfile;
import io.trims.bench.sim.workload.SimModel;
import io.trims.bench.sim.workload.Trace;
import io.trims.bench.sim.workload.Workload;
import io.trims.policy.promotion.PromotionPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One workload, ready to replay: its trace at the offered load, the catalogue it asks for, the cluster sized to a
 * fraction of that catalogue, and its bounds; then every policy pair run over it.
 *
 * @param perSecond     the arrival rate the trace was set to
 * @param prepareSeconds generating the trace and computing the bounds, on this machine
 */
public record Experiment(Workload workload, Trace trace, Catalogue catalogue, ClusterSpec cluster, double perSecond,
                         Bounds bounds, double prepareSeconds) {

    /** The sizes and rates of a simulated host, before its tiers are sized to a catalogue. */
    public record HostShape(int workers, int loadThreads, double capacity, double diskFactor, double gpu,
                            double fetchBytesPerSecond, double diskLoadBytesPerSecond, double gpuLoadBytesPerSecond,
                            PromotionPolicy promotion) {

        /** Each tier's share of the catalogue's bytes, split over the hosts; a CPU tier holds the largest model. */
        public HostSpec sizedFor(Catalogue catalogue, int hosts) {
            long cpu = Math.max(Math.round(capacity * catalogue.totalBytes() / hosts), catalogue.largestBytes());
            return new HostSpec(workers, loadThreads, Math.round(gpu * catalogue.totalBytes() / hosts), cpu,
                    Math.round(diskFactor * cpu), fetchBytesPerSecond, diskLoadBytesPerSecond,
                    gpuLoadBytesPerSecond, promotion);
        }
    }

    /** @param perHost requests per second per host, on average over the trace */
    public static Experiment prepare(Workload workload, int invocations, int models, int hosts, HostShape shape,
                                     ModelProfile profile, double perHost, long seed) {
        long start = System.nanoTime();
        Catalogue catalogue = profile.draw(models, seed).first(workload.modelsUsed(models));
        Trace nominal = workload.generate(invocations, catalogue.size(), seed);
        ClusterSpec cluster = new ClusterSpec(hosts, shape.sizedFor(catalogue, hosts));
        double perSecond = perHost * hosts;
        Trace trace = nominal.atRate(perSecond);
        Bounds bounds = Bounds.of(trace, catalogue, cluster);
        return new Experiment(workload, trace, catalogue, cluster, perSecond, bounds, (System.nanoTime() - start) / 1e9);
    }

    /** The cluster's CPU tiers as a fraction of the catalogue (more than asked where the largest model set a floor). */
    public double cpuFraction() {
        return (double) cluster.cpuBytes() / catalogue.totalBytes();
    }

    public SimResult run(String placement, String eviction, long seed) {
        return Simulation.run(trace, catalogue, cluster, placement, eviction, seed);
    }

    /** The placement label of {@link #pooled} runs. */
    public static final String POOLED = "pooled";

    /**
     * The eviction policy alone, as MIN is computed: one host whose CPU tier is all the cluster's memory (GPU and
     * CPU) and whose disk is all its disks, the requests in the trace's order one at a time, each done before the
     * next arrives. Its gap to MIN is the policy's own; the rest of a cluster run's gap is placement, the split into
     * hosts and time (loads under way, room held by requests in flight).
     */
    public SimResult pooled(String placement, String eviction, long seed) {
        HostSpec h = cluster.host();
        HostSpec one = new HostSpec(h.workers(), h.loadThreads(), 0, cluster.cpuBytes() + cluster.gpuBytes(),
                cluster.diskBytes(), h.fetchBytesPerSecond(), h.diskLoadBytesPerSecond(), h.gpuLoadBytesPerSecond(),
                h.promotion());
        long slot = 0;
        for (int m = 0; m < catalogue.size(); m++) {
            SimModel model = catalogue.model(m);
            slot = Math.max(slot, one.fetchNanos(model.bytes()) + one.diskLoadNanos(model.bytes())
                    + model.cpuRunNanos());
        }
        return Simulation.run(trace.oneAtATime(slot + 1), catalogue, new ClusterSpec(1, one), placement, eviction,
                seed).as(POOLED);
    }

    /**
     * Every placement with every eviction, then each eviction {@link #pooled}, {@code threads} runs at a time, in
     * that order.
     */
    public List<SimResult> runAll(List<String> placements, List<String> evictions, long seed, int threads)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<SimResult>> runs = new ArrayList<>();
            for (String p : placements) {
                for (String e : evictions) {
                    runs.add(pool.submit(() -> run(p, e, seed)));
                }
            }
            for (String e : evictions) {
                runs.add(pool.submit(() -> pooled(placements.get(0), e, seed)));
            }
            List<SimResult> results = new ArrayList<>();
            for (Future<SimResult> run : runs) {
                results.add(run.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a simulation failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
