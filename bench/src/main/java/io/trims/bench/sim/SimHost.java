package io.trims.bench.sim;

import io.trims.agent.residency.Origin;
import io.trims.agent.tier.TierException;
import io.trims.agent.tier.TierListener;
import io.trims.bench.sim.workload.Catalogue;
import io.trims.bench.sim.workload.SimModel;
import io.trims.directory.HostRecord;
import io.trims.directory.HostStats;
import io.trims.directory.ModelId;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;
import io.trims.directory.TierRoom;

import java.util.ArrayDeque;

/**
 * One simulated agent: its tiers (the agent's {@link io.trims.agent.tier.BudgetedTier} bookkeeping), its inference
 * workers and the way a request walks down the tiers, as {@code ModelResidency} does it: a GPU hit or a CPU hit is
 * held at once; otherwise the model is loaded (from disk, or fetched first) and then taken, with up to three tries
 * if it is demoted before its waiters take it. A held request waits for a worker, runs for its model's run time in
 * that tier and lets its copy go. It publishes its copies to the simulated directory and its host record and stats
 * for placement, rebuilt only after something changed.
 */
final class SimHost implements HostLoads.Finished {

    private static final int ATTEMPTS = 3;
    private static final TierRoom ABSENT = new TierRoom(0, 0);

    private record Run(int request, SimModel model, SimTier tier) {
    }

    private final String name;
    private final HostSpec spec;
    private final SimClock clock;
    private final EventQueue events;
    private final HolderIndex directory;
    private final Tally tally;
    private final Requests requests;
    private final SimTier gpu;
    private final SimTier cpu;
    private final SimTier disk;
    private final HostMeter meter;
    private final HostLoads loads;
    private final ArrayDeque<Run> ready = new ArrayDeque<>();
    private final Occupancy workersBusy;
    private int idleWorkers;
    private int running;
    private int waitingForLoad;
    private int inFlight;
    /** The host record as last built; null once a tier or the in-flight count changed. */
    private HostRecord record;
    /**
     * Stats as last built, without run times ({@code stats}) and per model with its run times, each valid while
     * {@code statsVersion} is the one it was built at: it moves when a queue, a run or a measurement changes.
     */
    private HostStats stats;
    private final HostStats[] statsOf;
    private final long[] statsOfVersion;
    private long statsVersion;
    private long statsBuiltAt = -1;

    SimHost(String name, HostSpec spec, TierPolicies policies, Catalogue catalogue, SimClock clock, EventQueue events,
            HolderIndex directory, Tally tally, Requests requests) {
        this.name = name;
        this.spec = spec;
        this.clock = clock;
        this.events = events;
        this.directory = directory;
        this.tally = tally;
        this.requests = requests;
        TierListener demoted = (tier, resident) -> {
            directory.remove(name, catalogue.model(resident.id()).index(), tier);
            tally.evictions[tier.ordinal()]++;
            changed();
        };
        this.gpu = spec.hasGpu() ? tier(TierLevel.GPU, spec.gpuBytes(), policies, demoted) : null;
        this.cpu = tier(TierLevel.CPU, spec.cpuBytes(), policies, demoted);
        this.disk = tier(TierLevel.DISK, spec.diskBytes(), policies, demoted);
        this.meter = new HostMeter(catalogue.size());
        this.loads = new HostLoads(this, catalogue.size(), events, clock, tally, meter, this);
        this.idleWorkers = spec.workers();
        this.workersBusy = new Occupancy(clock);
        this.statsOf = new HostStats[catalogue.size()];
        this.statsOfVersion = new long[catalogue.size()];
    }

    private SimTier tier(TierLevel level, long bytes, TierPolicies policies, TierListener demoted) {
        SimTier tier = new SimTier(level, bytes, policies.policy(level, clock, directory.elsewhereOf(name)), clock);
        tier.listen(demoted);
        return tier;
    }

    String name() {
        return name;
    }

    HostSpec spec() {
        return spec;
    }

    /** The GPU tier, or null where the host has none. */
    SimTier gpu() {
        return gpu;
    }

    SimTier cpu() {
        return cpu;
    }

    SimTier disk() {
        return disk;
    }

    /** A request reaches the host: looks in GPU, CPU, disk, in that order, as the agent does. */
    void arrive(int request, SimModel model) {
        ModelId id = model.id();
        if (gpu != null && gpu.acquire(id).isPresent()) {
            requests.arrived(request, Origin.GPU);
            hold(request, model, gpu);
            return;
        }
        if (cpu.acquire(id).isPresent()) {
            requests.arrived(request, Origin.CPU);
            hold(request, model, cpu);
            loads.usedOnCpu(model);
            return;
        }
        requests.arrived(request, disk.contains(id) ? Origin.DISK : Origin.REMOTE);
        waitingForLoad++;
        busyChanged();
        loads.load(model, request, 1);
    }

    @Override
    public void loaded(HostLoads.Job job, TierException.Kind failure) {
        for (int i = 0; i < job.count; i++) {
            waitingForLoad--;
            if (failure != null) {
                requests.failed(job.requests[i], failure);
            } else {
                take(job.requests[i], job.model, job.attempts[i]);
            }
        }
        busyChanged();
    }

    /** After a load: the copy may have been demoted again already, then the request loads it once more. */
    private void take(int request, SimModel model, int attempt) {
        if (cpu.acquire(model.id()).isPresent()) {
            hold(request, model, cpu);
            loads.usedOnCpu(model);
        } else if (attempt < ATTEMPTS) {
            waitingForLoad++;
            loads.load(model, request, attempt + 1);
        } else {
            requests.failed(request, TierException.Kind.BUSY);
        }
    }

    private void hold(int request, SimModel model, SimTier tier) {
        inFlight++;
        requests.held(request);
        ready.add(new Run(request, model, tier));
        changed();
        busyChanged();
        startRuns();
    }

    private void startRuns() {
        while (idleWorkers > 0 && !ready.isEmpty()) {
            Run run = ready.poll();
            idleWorkers--;
            running++;
            workersBusy.add(1);
            busyChanged();
            long took = run.tier() == gpu ? run.model().gpuRunNanos() : run.model().cpuRunNanos();
            events.after(took, () -> ran(run, took));
        }
    }

    private void ran(Run run, long took) {
        run.tier().release(run.model().id());
        inFlight--;
        running--;
        idleWorkers++;
        workersBusy.add(-1);
        meter.ran(run.model(), run.tier().level(), took);
        changed();
        busyChanged();
        requests.finished(run.request());
        startRuns();
    }

    /** Worker time spent running so far, in nanoseconds summed over the workers. */
    double workerBusyNanos() {
        return workersBusy.busyNanos();
    }

    double loadThreadBusyNanos() {
        return loads.busyNanos();
    }

    /** Tells the directory about a copy of a model in one of this host's tiers. */
    void publish(SimModel model, TierLevel tier, ResidencyState state, long bytes) {
        directory.put(name, model, tier, state, bytes, clock.millis());
        changed();
    }

    private void changed() {
        record = null;
    }

    /** A queue, a run or a measurement moved: every stats built so far is stale. */
    void busyChanged() {
        statsVersion++;
    }

    HostRecord record() {
        if (record == null) {
            record = new HostRecord(name, "sim", "sim://" + name, gpu != null, gpu == null ? ABSENT : room(gpu),
                    room(cpu), room(disk), inFlight, clock.millis());
        }
        return record;
    }

    /** The host's stats with the run times of {@code model} only, which is all placement reads of them. */
    HostStats stats(int model) {
        if (!meter.ran(model)) {
            if (statsBuiltAt != statsVersion) {
                stats = meter.stats(name, spec.workers(), running, waitingForLoad + ready.size(), -1, clock.millis());
                statsBuiltAt = statsVersion;
            }
            return stats;
        }
        if (statsOf[model] == null || statsOfVersion[model] != statsVersion) {
            statsOf[model] = meter.stats(name, spec.workers(), running, waitingForLoad + ready.size(), model,
                    clock.millis());
            statsOfVersion[model] = statsVersion;
        }
        return statsOf[model];
    }

    private static TierRoom room(SimTier tier) {
        return new TierRoom(tier.capacityBytes(), tier.usedBytes());
    }
}
