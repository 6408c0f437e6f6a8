package io.trims.agent.residency;

import io.trims.directory.HostStats;
import io.trims.directory.ModelId;
import io.trims.directory.RunTime;
import io.trims.directory.TierLevel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this host measures for placement's cost model: run times per model and tier, load rates per source, and how
 * many requests run and wait. A run time is what one request holds an inference worker for (its body parsed, the
 * model run, the answer written): what the requests queued behind it wait for, and what the request itself takes
 * once the model is in memory. Exponentially weighted means, so a host's figures follow a change (another model
 * loaded beside it, a slower disk) within a few samples. Published as {@link HostStats} by the periodic refresh,
 * never per request. Recording takes a short lock on worker threads only; the counters take none.
 */
public final class HostStatistics {

    /** Weight of the newest sample. */
    private static final double WEIGHT = 0.2;
    /** Run times kept for this many model-tier pairs, the most recently run: the record stays small. */
    private static final int MAX_RUN_TIMES = 256;

    private final String host;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private volatile int concurrency = 1;
    private final Map<Key, Mean> runTimes = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Mean> eldest) {
            return size() > MAX_RUN_TIMES;
        }
    };
    private final Mean meanRun = new Mean();
    private final Mean fetchRate = new Mean();
    private final Mean diskLoadRate = new Mean();
    private final Mean gpuLoadRate = new Mean();

    private record Key(ModelId model, TierLevel tier) {
    }

    /** An exponentially weighted mean and its sample count. */
    private static final class Mean {
        private double value;
        private long samples;

        void add(double sample) {
            value = samples == 0 ? sample : value + WEIGHT * (sample - value);
            samples++;
        }
    }

    public HostStatistics(String host) {
        this.host = host;
    }

    /** How many runs the host makes at once: the size of its inference pool. */
    public void concurrency(int runs) {
        this.concurrency = Math.max(1, runs);
    }

    /** A request arrived; it counts as waiting until {@link #runStarted} and busy until {@link #answered}. */
    public void accepted() {
        accepted.incrementAndGet();
    }

    public void answered() {
        accepted.decrementAndGet();
    }

    public void runStarted() {
        running.incrementAndGet();
    }

    public synchronized void ran(ModelId model, TierLevel tier, long nanos) {
        running.decrementAndGet();
        runTimes.computeIfAbsent(new Key(model, tier), k -> new Mean()).add(nanos);
        meanRun.add(nanos);
    }

    /** A run that failed before it finished: not a run time. */
    public void runFailed() {
        running.decrementAndGet();
    }

    synchronized void fetched(long bytes, long nanos) {
        rate(fetchRate, bytes, nanos);
    }

    synchronized void loadedFromDisk(long bytes, long nanos) {
        rate(diskLoadRate, bytes, nanos);
    }

    synchronized void loadedToGpu(long bytes, long nanos) {
        rate(gpuLoadRate, bytes, nanos);
    }

    private static void rate(Mean mean, long bytes, long nanos) {
        if (bytes > 0 && nanos > 0) {
            mean.add(bytes * 1e9 / nanos);
        }
    }

    /** The figures of now. */
    synchronized HostStats snapshot(long nowMillis) {
        int runs = running.get();
        int waiting = Math.max(0, accepted.get() - runs);
        List<RunTime> times = new ArrayList<>(runTimes.size());
        runTimes.forEach((key, mean) -> times.add(new RunTime(key.model().name(), key.model().version(), key.tier(),
                (long) mean.value, mean.samples)));
        return new HostStats(host, concurrency, runs, waiting, (long) meanRun.value, fetchRate.value,
                diskLoadRate.value, gpuLoadRate.value, times, nowMillis);
    }
}
