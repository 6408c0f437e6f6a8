package io.trims.bench.sim;

import io.trims.agent.residency.Origin;
import io.trims.agent.tier.TierException;
import io.trims.bench.sim.workload.Catalogue;
import io.trims.bench.sim.workload.SimModel;
import io.trims.bench.sim.workload.Trace;
import io.trims.directory.TierLevel;
import io.trims.policy.placement.Placement;
import io.trims.policy.placement.PlacementPolicies;
import io.trims.policy.placement.PlacementPolicy;
import io.trims.policy.placement.RandomPolicy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Replays a trace through a simulated cluster, discrete-event on simulated time: each request is placed by the
 * live placement policy over a snapshot of the simulated directory, sent to its host (no network time), which
 * serves it through the agent's tier bookkeeping and eviction policy; loads and runs take the time the profile
 * and the host's rates give. One run is one placement and one eviction policy; runs share nothing, so they may run
 * in parallel.
 */
public final class Simulation implements Requests {

    /** Each request runs the model its trace names. */
    public static final ArrivalChoice AS_TRACED = (request, traced, view) -> traced;

    /** A replay's figures, and per request the model it ran and its latency (-1 if it failed). */
    public record Replay(SimResult result, int[] models, long[] latencyNanos) {
    }

    private final Trace trace;
    private final Catalogue catalogue;
    private final SimClock clock = new SimClock();
    private final EventQueue events = new EventQueue(clock);
    private final Tally tally;
    private final List<SimHost> hosts = new ArrayList<>();
    private final Map<String, Integer> hostIndex = new HashMap<>();
    private final FrontDoor frontDoor;
    private final HolderIndex directory;
    private final PlacementPolicy placement;
    private final ArrivalChoice choice;
    private final int[] models;
    private final int[] sentTo;
    private final boolean[] sentAsMiss;

    private Simulation(Trace trace, Catalogue catalogue, ClusterSpec cluster, PlacementPolicy placement,
                       TierPolicies eviction, ArrivalChoice choice) {
        this.trace = trace;
        this.catalogue = catalogue;
        this.placement = placement;
        this.choice = choice;
        this.models = trace.models().clone();
        this.tally = new Tally(trace.arrivalNanos());
        this.directory = new HolderIndex(catalogue);
        for (int h = 0; h < cluster.hosts(); h++) {
            String name = ClusterSpec.hostName(h);
            hosts.add(new SimHost(name, cluster.host(), eviction, catalogue, clock, events, directory, tally, this));
            hostIndex.put(name, h);
        }
        this.frontDoor = new FrontDoor(hosts, directory, clock, catalogue.size());
        this.sentTo = new int[trace.size()];
        this.sentAsMiss = new boolean[trace.size()];
    }

    /**
     * @param placement a name {@link PlacementPolicies#byName} knows; {@code random} draws from {@code seed}
     * @param eviction  a name {@link io.trims.policy.eviction.EvictionPolicies#byName} knows
     */
    public static SimResult run(Trace trace, Catalogue catalogue, ClusterSpec cluster, String placement,
                                String eviction, long seed) {
        return replay(trace, catalogue, cluster, placementPolicy(placement, seed), placement, eviction, AS_TRACED)
                .result();
    }

    /**
     * As {@link #run}, with the model of each request chosen by {@code choice} as it arrives (the trace's model is
     * its hint, e.g. a task's first variant), under a placement policy given as it is.
     */
    public static Replay replay(Trace trace, Catalogue catalogue, ClusterSpec cluster, PlacementPolicy placement,
                                String placementName, String eviction, ArrivalChoice choice) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        Simulation simulation = new Simulation(trace, catalogue, cluster, placement, TierPolicies.byName(eviction),
                choice);
        simulation.replay();
        SimResult result = simulation.result(placementName, eviction, cluster, (System.nanoTime() - start) / 1e9,
                (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
        return new Replay(result, simulation.models, simulation.tally.latencyByRequest());
    }

    /** The live policy by name; the random baseline seeded, so that a run is reproducible. */
    static PlacementPolicy placementPolicy(String name, long seed) {
        return name.trim().equalsIgnoreCase(RandomPolicy.NAME) ? new RandomPolicy(new Random(seed))
                : PlacementPolicies.byName(name);
    }

    private void replay() {
        long[] arrivals = trace.arrivalNanos();
        int next = 0;
        while (next < arrivals.length || !events.isEmpty()) {
            // Events due at an arrival's instant (runs ending, loads done) happen before it.
            if (next < arrivals.length && arrivals[next] < events.nextAt()) {
                clock.advanceTo(arrivals[next]);
                place(next++);
            } else {
                events.fireNext();
            }
        }
    }

    private void place(int request) {
        models[request] = choice.modelFor(request, trace.models()[request], frontDoor);
        SimModel model = catalogue.model(models[request]);
        tally.cpuCopiesAtPlacement += directory.cpuCopies(model.index());
        Optional<Placement> chosen = placement.place(frontDoor.snapshot(model), frontDoor.request(model));
        if (chosen.isEmpty()) {
            throw new IllegalStateException("placement found no host for " + model.id() + " in a cluster of "
                    + hosts.size());
        }
        int host = hostIndex.get(chosen.get().host());
        sentTo[request] = host;
        sentAsMiss[request] = chosen.get().heldIn().isEmpty();
        frontDoor.sent(host, model, sentAsMiss[request]);
        hosts.get(host).arrive(request, model);
    }

    @Override
    public void arrived(int request, Origin origin) {
        tally.origins[origin.ordinal()]++;
    }

    @Override
    public void held(int request) {
        tally.held(request, clock.read());
    }

    @Override
    public void finished(int request) {
        tally.done(request, clock.read());
        answered(request);
    }

    @Override
    public void failed(int request, TierException.Kind why) {
        tally.failed(why);
        answered(request);
    }

    private void answered(int request) {
        frontDoor.answered(sentTo[request], catalogue.model(models[request]), sentAsMiss[request]);
    }

    private SimResult result(String placementName, String evictionName, ClusterSpec cluster, double wallSeconds,
                             double cpuSeconds) {
        long first = trace.size() == 0 ? 0 : trace.arrivalNanos()[0];
        double span = Math.max(1, clock.read() - first) * (double) cluster.hosts();
        double workers = hosts.stream().mapToDouble(SimHost::workerBusyNanos).sum() / (span * cluster.host().workers());
        double loadThreads = hosts.stream().mapToDouble(SimHost::loadThreadBusyNanos).sum()
                / (span * cluster.host().loadThreads());
        Percentiles delays = new Percentiles(tally.loadDelays());
        Percentiles latencies = new Percentiles(tally.latencies());
        long n = trace.size();
        return new SimResult(trace.name(), placementName, evictionName, n,
                tally.origins[Origin.GPU.ordinal()], tally.origins[Origin.CPU.ordinal()],
                tally.origins[Origin.DISK.ordinal()], tally.origins[Origin.REMOTE.ordinal()], tally.failures,
                tally.delayedHits, tally.fetches, tally.bytesFetched, tally.evictions[TierLevel.GPU.ordinal()],
                tally.evictions[TierLevel.CPU.ordinal()], tally.evictions[TierLevel.DISK.ordinal()], tally.promotions,
                delays.meanMillis(), delays.millis(0.99), latencies.meanMillis(), latencies.millis(0.99),
                n == 0 ? 0 : (double) tally.cpuCopiesAtPlacement / n, workers, loadThreads, wallSeconds,
                cpuSeconds);
    }
}
