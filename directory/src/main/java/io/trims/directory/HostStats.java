package io.trims.directory;

import java.util.List;
import java.util.Optional;

/**
 * What a host has measured about itself, for placement's cost model. The agent publishes it at a bounded rate,
 * not per request, so its figures lag by up to one period; a rate of 0 means not measured yet.
 *
 * @param concurrency            inference runs the host makes at once (its inference workers)
 * @param running                runs under way now
 * @param queued                 requests accepted and not yet running: waiting for a worker or for a load
 * @param meanRunNanos           mean compute time of one run over every model it ran, recent runs weighing most
 * @param fetchBytesPerSecond    object storage to the disk tier (download and digest check)
 * @param diskLoadBytesPerSecond disk tier to the CPU tier (reading the file and building the session)
 * @param gpuLoadBytesPerSecond  CPU tier to the GPU tier
 * @param runTimes               per model version and tier the host ran it in
 */
public record HostStats(String host, int concurrency, int running, int queued, long meanRunNanos,
                        double fetchBytesPerSecond, double diskLoadBytesPerSecond, double gpuLoadBytesPerSecond,
                        List<RunTime> runTimes, long updatedAtMillis) {

    public HostStats {
        runTimes = List.copyOf(runTimes);
    }

    /** Nothing measured yet: what a host that has just joined publishes. */
    public static HostStats unmeasured(String host, int concurrency, long nowMillis) {
        return new HostStats(host, concurrency, 0, 0, 0, 0, 0, 0, List.of(), nowMillis);
    }

    /** An index loop, not a stream or an iterator: placement asks this for every host of every request. */
    public Optional<RunTime> runTime(ModelId model, TierLevel tier) {
        for (int i = 0; i < runTimes.size(); i++) {
            RunTime r = runTimes.get(i);
            if (r.tier() == tier && r.model().equals(model.name()) && r.version().equals(model.version())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Requests on the host that are running or waiting to. */
    public int busy() {
        return running + queued;
    }
}
