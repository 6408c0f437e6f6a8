package io.trims.bench.sim;

import io.trims.bench.sim.workload.SimModel;
import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;
import io.trims.directory.HostStats;
import io.trims.directory.Residency;
import io.trims.directory.RunTime;
import io.trims.policy.placement.Dispatched;
import io.trims.policy.placement.PlacementRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What placement is given for each request, as the front door gives it: a directory snapshot and the request with
 * what the front door has dispatched and not heard back from. The snapshot holds only the requested model's copies
 * (the policies read no other model's) and each host's record and stats, the stats with that model's run times
 * only, so a request costs work in the number of hosts and of that model's copies, never of all residencies.
 * Unlike the live directory, records and stats are current at every request (the agent's publication lag is left
 * out; {@link Dispatched} is what bridges it in the live system).
 */
final class FrontDoor implements FrontDoorView {

    private final List<SimHost> hosts;
    private final HolderIndex directory;
    private final SimClock clock;
    private final int[] requestsTo;
    /**
     * Per host, the entry last put in each map handed out (record, stats, requests in flight), kept while its value
     * is the same object: a request rebuilds the immutable maps from them but allocates entries only for the hosts
     * that changed since.
     */
    private final Map.Entry<String, HostRecord>[] recordEntries;
    private final Map.Entry<String, HostStats>[] statsEntries;
    private final Map.Entry<String, Integer>[] inFlightEntries;
    /** The records as the snapshot's map; reused while no host changed. */
    private Map<String, HostRecord> records = Map.of();
    /** The front door's requests in flight per host as the request's map; null once one was sent or answered. */
    private Map<String, Integer> inFlight;
    /** Per model: host to {misses sent and not answered, when the first of them was sent}. */
    private final Map<String, long[]>[] missesSent;

    @SuppressWarnings("unchecked")
    FrontDoor(List<SimHost> hosts, HolderIndex directory, SimClock clock, int models) {
        this.hosts = hosts;
        this.directory = directory;
        this.clock = clock;
        this.requestsTo = new int[hosts.size()];
        this.recordEntries = new Map.Entry[hosts.size()];
        this.statsEntries = new Map.Entry[hosts.size()];
        this.inFlightEntries = new Map.Entry[hosts.size()];
        this.missesSent = new Map[models];
    }

    /** Immutable maps pass through the snapshot's defensive copies without being copied again. */
    DirectorySnapshot snapshot(SimModel model) {
        boolean changed = false;
        for (int h = 0; h < recordEntries.length; h++) {
            SimHost host = hosts.get(h);
            HostRecord now = host.record();
            if (recordEntries[h] == null || recordEntries[h].getValue() != now) {
                recordEntries[h] = Map.entry(host.name(), now);
                changed = true;
            }
            HostStats stats = host.stats(model.index());
            if (statsEntries[h] == null || statsEntries[h].getValue() != stats) {
                statsEntries[h] = Map.entry(host.name(), stats);
            }
        }
        if (changed) {
            records = Map.ofEntries(recordEntries);
        }
        return new DirectorySnapshot(records, directory.holders(model.index()), Map.ofEntries(statsEntries),
                clock.millis());
    }

    /** The single-model snapshots merged: their copies together, each host's stats with all their run times. */
    @Override
    public DirectorySnapshot snapshot(List<SimModel> models) {
        if (models.size() == 1) {
            return snapshot(models.get(0));
        }
        List<Residency> copies = new ArrayList<>();
        Map<String, HostStats> stats = new HashMap<>();
        Map<String, HostRecord> hostRecords = Map.of();
        for (SimModel model : models) {
            DirectorySnapshot one = snapshot(model);
            hostRecords = one.hosts();
            copies.addAll(one.residencies());
            one.stats().forEach((host, s) -> stats.merge(host, s, FrontDoor::withRunTimesOf));
        }
        return new DirectorySnapshot(hostRecords, copies, stats, clock.millis());
    }

    private static HostStats withRunTimesOf(HostStats a, HostStats b) {
        List<RunTime> runTimes = new ArrayList<>(a.runTimes());
        runTimes.addAll(b.runTimes());
        return new HostStats(a.host(), a.concurrency(), a.running(), a.queued(), a.meanRunNanos(),
                a.fetchBytesPerSecond(), a.diskLoadBytesPerSecond(), a.gpuLoadBytesPerSecond(), runTimes,
                a.updatedAtMillis());
    }

    @Override
    public Dispatched dispatched(SimModel model) {
        return request(model).dispatched();
    }

    PlacementRequest request(SimModel model) {
        if (inFlight == null) {
            int busy = 0;
            for (int h = 0; h < requestsTo.length; h++) {
                if (requestsTo[h] > 0) {
                    busy++;
                }
            }
            @SuppressWarnings("unchecked")
            Map.Entry<String, Integer>[] entries = new Map.Entry[busy];
            busy = 0;
            for (int h = 0; h < requestsTo.length; h++) {
                if (requestsTo[h] > 0) {
                    if (inFlightEntries[h] == null || inFlightEntries[h].getValue() != requestsTo[h]) {
                        inFlightEntries[h] = Map.entry(hosts.get(h).name(), requestsTo[h]);
                    }
                    entries[busy++] = inFlightEntries[h];
                }
            }
            inFlight = Map.ofEntries(entries);
        }
        Map<String, Long> misses = Map.of();
        Map<String, long[]> sent = missesSent[model.index()];
        if (sent != null && !sent.isEmpty()) {
            Map<String, Long> byName = new HashMap<>();
            sent.forEach((host, n) -> byName.put(host, n[1]));
            misses = byName;
        }
        return new PlacementRequest(model.id(), model.bytes(), Set.of(), true, new Dispatched(inFlight, misses));
    }

    /** @param miss whether placement expected the host to hold no copy */
    void sent(int host, SimModel model, boolean miss) {
        requestsTo[host]++;
        inFlight = null;
        if (miss) {
            if (missesSent[model.index()] == null) {
                missesSent[model.index()] = new HashMap<>(4);
            }
            missesSent[model.index()].computeIfAbsent(hosts.get(host).name(), h -> new long[]{0, clock.millis()})[0]++;
        }
    }

    void answered(int host, SimModel model, boolean miss) {
        requestsTo[host]--;
        inFlight = null;
        if (miss) {
            Map<String, long[]> sent = missesSent[model.index()];
            String name = hosts.get(host).name();
            if (--sent.get(name)[0] == 0) {
                sent.remove(name);
            }
        }
    }
}
