package io.trims.bench.sim;

import io.trims.agent.tier.TierException;
import io.trims.bench.sim.workload.SimModel;
import io.trims.directory.ModelId;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;
import io.trims.policy.eviction.LoadCost;
import io.trims.policy.promotion.PromotionPolicy;
import io.trims.policy.promotion.UseHistory;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A simulated host's moves between tiers, in the agent's protocol ({@code ModelResidency}, {@code TierMove},
 * {@code DiskFiles}, {@code GpuPromoter}): one load per model at a time, shared by every request that misses it
 * meanwhile (single flight); object storage to disk, disk to CPU, and promotion from CPU use to the GPU. Each move
 * reserves room in its tier (the eviction policy picks what goes), records the copy LOADING, takes its transfer time
 * on the simulated clock, fills the copy in, records it READY and lets its hold go. Loads and promotions queue for
 * the host's load threads, a thread held from fetch to the end of the load as in the agent.
 */
final class HostLoads {

    /** One model's load into the CPU tier and the requests waiting for it. */
    static final class Job {
        final SimModel model;
        int[] requests = new int[2];
        int[] attempts = new int[2];
        int count;

        Job(SimModel model) {
            this.model = model;
        }

        void join(int request, int attempt) {
            if (count == requests.length) {
                requests = Arrays.copyOf(requests, 2 * count);
                attempts = Arrays.copyOf(attempts, 2 * count);
            }
            requests[count] = request;
            attempts[count++] = attempt;
        }
    }

    /** Told when a load into the CPU tier ended, well or not ({@code failure} null when the copy is there). */
    interface Finished {
        void loaded(Job job, TierException.Kind failure);
    }

    private final SimHost host;
    private final EventQueue events;
    private final SimClock clock;
    private final Tally tally;
    private final HostMeter meter;
    private final Finished finished;
    private final Job[] jobs;
    private final boolean[] promoting;
    private final boolean[] refusedByGpu;
    private final PromotionPolicy promotion;
    private final UseHistory history;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final Occupancy threadsBusy;
    private int idleThreads;
    private boolean draining;

    HostLoads(SimHost host, int models, EventQueue events, SimClock clock, Tally tally, HostMeter meter,
              Finished finished) {
        this.host = host;
        this.events = events;
        this.clock = clock;
        this.tally = tally;
        this.meter = meter;
        this.finished = finished;
        this.jobs = new Job[models];
        this.promoting = new boolean[models];
        this.refusedByGpu = new boolean[models];
        this.promotion = host.spec().promotion();
        this.history = new UseHistory(promotion.promoteAfter(), promotion.windowMillis(), clock);
        this.idleThreads = host.spec().loadThreads();
        this.threadsBusy = new Occupancy(clock);
    }

    /** Load-thread time spent so far, in nanoseconds summed over the threads. */
    double busyNanos() {
        return threadsBusy.busyNanos();
    }

    /** Brings the model into the CPU tier for {@code request}, or adds the request to the load under way. */
    void load(SimModel model, int request, int attempt) {
        Job job = jobs[model.index()];
        if (job != null && attempt == 1) {
            tally.delayedHits++;
        }
        if (job == null) {
            job = new Job(model);
            jobs[model.index()] = job;
            Job started = job;
            onLoadThread(() -> start(started));
        }
        job.join(request, attempt);
    }

    /** A request is served from the CPU tier: a use towards promotion, as the agent's promoter counts it. */
    void usedOnCpu(SimModel model) {
        SimTier gpu = host.gpu();
        if (gpu == null) {
            return;
        }
        ModelId id = model.id();
        int m = model.index();
        PromotionPolicy.Candidate candidate = new PromotionPolicy.Candidate(true, gpu.contains(id), promoting[m],
                refusedByGpu[m], history.record(id));
        if (promotion.decide(candidate, history.now()) == PromotionPolicy.Decision.PROMOTE) {
            promoting[m] = true;
            onLoadThread(() -> promote(model));
        }
    }

    private void start(Job job) {
        SimModel model = job.model;
        if (host.cpu().contains(model.id())) {
            end(job, null);
        } else if (model.bytes() > host.cpu().capacityBytes()) {
            // Refused before the fetch, as the agent does: a model that can never run here is not worth a download.
            end(job, TierException.Kind.TOO_BIG);
        } else if (host.disk().acquire(model.id()).isPresent()) {
            loadIntoCpu(job);
        } else {
            fetch(model, () -> loadIntoCpu(job), why -> end(job, why));
        }
    }

    /** Object storage to the disk tier; the file is held once for the caller when {@code then} runs. */
    private void fetch(SimModel model, Runnable then, Consumer<TierException.Kind> failed) {
        SimTier disk = host.disk();
        try {
            disk.reserve(model.id(), model.bytes());
        } catch (TierException e) {
            failed.accept(e.kind());
            return;
        }
        host.publish(model, TierLevel.DISK, ResidencyState.LOADING, model.bytes());
        long took = host.spec().fetchNanos(model.bytes());
        events.after(took, () -> {
            disk.put(model.id(), new SimCopy(model.index(), model.bytes()), model.bytes(),
                    new LoadCost(LoadCost.Source.REMOTE, took));
            host.publish(model, TierLevel.DISK, ResidencyState.READY, model.bytes());
            meter.fetched(model.bytes(), took);
            host.busyChanged();
            tally.fetches++;
            tally.bytesFetched += model.bytes();
            then.run();
        });
    }

    /** Disk tier (file held) to the CPU tier; the file's hold goes once the copy is in. */
    private void loadIntoCpu(Job job) {
        SimModel model = job.model;
        SimTier cpu = host.cpu();
        try {
            cpu.reserve(model.id(), model.bytes());
        } catch (TierException e) {
            host.disk().release(model.id());
            end(job, e.kind());
            return;
        }
        host.publish(model, TierLevel.CPU, ResidencyState.LOADING, model.bytes());
        long took = host.spec().diskLoadNanos(model.bytes());
        events.after(took, () -> {
            cpu.put(model.id(), new SimCopy(model.index(), model.bytes()), model.bytes(),
                    new LoadCost(LoadCost.Source.DISK, took));
            host.publish(model, TierLevel.CPU, ResidencyState.READY, model.bytes());
            cpu.release(model.id());
            host.disk().release(model.id());
            meter.loadedFromDisk(model.bytes(), took);
            host.busyChanged();
            end(job, null);
        });
    }

    /** The waiters take their copies before the thread starts the next load, which could demote it first. */
    private void end(Job job, TierException.Kind failure) {
        jobs[job.model.index()] = null;
        finished.loaded(job, failure);
        threadFree();
    }

    /** The file from disk (fetched if gone) onto the GPU; the request that earned it already runs on the CPU. */
    private void promote(SimModel model) {
        if (host.disk().acquire(model.id()).isPresent()) {
            upload(model);
        } else {
            fetch(model, () -> upload(model), why -> promoted(model, why));
        }
    }

    private void upload(SimModel model) {
        SimTier gpu = host.gpu();
        try {
            gpu.reserve(model.id(), model.bytes());
        } catch (TierException e) {
            host.disk().release(model.id());
            promoted(model, e.kind());
            return;
        }
        host.publish(model, TierLevel.GPU, ResidencyState.LOADING, model.bytes());
        long took = host.spec().gpuLoadNanos(model.bytes());
        events.after(took, () -> {
            gpu.put(model.id(), new SimCopy(model.index(), model.bytes()), model.bytes(),
                    new LoadCost(LoadCost.Source.DISK, took));
            host.publish(model, TierLevel.GPU, ResidencyState.READY, model.bytes());
            gpu.release(model.id());
            host.disk().release(model.id());
            meter.loadedOntoGpu(model.bytes(), took);
            host.busyChanged();
            tally.promotions++;
            promoted(model, null);
        });
    }

    /** A promotion ended; one the GPU tier refused for good (too big) is not tried again, a busy one may be. */
    private void promoted(SimModel model, TierException.Kind failure) {
        promoting[model.index()] = false;
        if (failure != null && failure != TierException.Kind.BUSY) {
            refusedByGpu[model.index()] = true;
        }
        threadFree();
    }

    private void onLoadThread(Runnable task) {
        queue.add(task);
        drain();
    }

    private void threadFree() {
        idleThreads++;
        threadsBusy.add(-1);
        drain();
    }

    /** Starts queued tasks on idle threads; a task that ends at once frees its thread inside this loop, not deeper. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        while (idleThreads > 0 && !queue.isEmpty()) {
            idleThreads--;
            threadsBusy.add(1);
            queue.poll().run();
        }
        draining = false;
    }
}
