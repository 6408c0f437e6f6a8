package io.trims.policy.placement;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;
import io.trims.directory.HostStats;
import io.trims.directory.ModelId;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.RunTime;
import io.trims.directory.TierLevel;
import io.trims.directory.TierRoom;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.trims.directory.ResidencyState.EVICTING;
import static io.trims.directory.ResidencyState.LOADING;
import static io.trims.directory.ResidencyState.READY;
import static io.trims.directory.TierLevel.CPU;
import static io.trims.directory.TierLevel.DISK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompletionTimePolicyTest {

    private static final long GIB = 1L << 30;
    private static final long MODEL_BYTES = 100_000_000;
    private static final long NOW = 1_000_000;
    private static final long MS = 1_000_000;
    private static final ModelId MODEL = new ModelId("resnet", "1");
    private final PlacementPolicy policy = new CompletionTimePolicy();

    private static HostRecord host(String name, int inFlight) {
        return new HostRecord(name, "member-" + name, "http://" + name + ":8081", false, new TierRoom(0, 0),
                new TierRoom(16 * GIB, 0), new TierRoom(100 * GIB, 0), inFlight, NOW);
    }

    /** Fetch 100 MB/s (1 s for the model), disk load 200 MB/s (0.5 s), 10 ms a run on CPU, 2 workers. */
    private static HostStats measured(String host, int busy) {
        return new HostStats(host, 2, Math.min(busy, 2), Math.max(0, busy - 2), 10 * MS, 100e6, 200e6, 0,
                List.of(new RunTime(MODEL.name(), MODEL.version(), CPU, 10 * MS, 50)), NOW);
    }

    private static Residency copy(String host, TierLevel tier, ResidencyState state, long loadedAtMillis) {
        return new Residency(host, MODEL.name(), MODEL.version(), tier, state, MODEL_BYTES, loadedAtMillis);
    }

    private static DirectorySnapshot snapshot(List<HostRecord> hosts, List<HostStats> stats, Residency... copies) {
        return new DirectorySnapshot(
                hosts.stream().collect(Collectors.toMap(HostRecord::host, Function.identity())), List.of(copies),
                stats.stream().collect(Collectors.toMap(HostStats::host, Function.identity())), NOW);
    }

    private static PlacementRequest request() {
        return new PlacementRequest(MODEL, MODEL_BYTES);
    }

    private Placement place(DirectorySnapshot snapshot, PlacementRequest request) {
        return policy.place(snapshot, request).orElseThrow();
    }

    @Test
    void estimateAddsWaitLoadAndRunFromTheHostsFigures() {
        DirectorySnapshot s = snapshot(List.of(host("a", 0), host("b", 0), host("c", 0)),
                List.of(measured("a", 5), measured("b", 0), measured("c", 0)),
                copy("a", CPU, READY, 0), copy("b", DISK, READY, 0));
        CompletionTime costs = CompletionTime.of(s, request());

        // a: 5 busy on 2 workers: 5 - 2 + 1 = 4 must start before it, × 10 ms / 2 workers = 20 ms; in memory.
        assertEquals(new Estimate("a", Optional.of(CPU), true, 20 * MS, 0, 10 * MS), costs.estimate("a").orElseThrow());
        // b: on disk, 100 MB at 200 MB/s.
        assertEquals(new Estimate("b", Optional.of(DISK), false, 0, 500 * MS, 10 * MS), costs.estimate("b").orElseThrow(),
                "a copy on disk only is a load to make, not a holder");
        // c: a miss, fetch at 100 MB/s and load from disk.
        assertEquals(new Estimate("c", Optional.empty(), false, 0, 1_500 * MS, 10 * MS),
                costs.estimate("c").orElseThrow());
    }

    @Test
    void unmeasuredHostTakesTheOtherHostsMeansAndPriorsWhereNoneMeasured() {
        DirectorySnapshot s = snapshot(List.of(host("a", 0), host("b", 0)), List.of(measured("a", 0)));
        Estimate b = CompletionTime.of(s, request()).estimate("b").orElseThrow();
        assertEquals(1_500 * MS, b.loadNanos(), "a's rates");
        assertEquals(10 * MS, b.runNanos(), "a's run time of the model");

        DirectorySnapshot cold = snapshot(List.of(host("a", 0)), List.of());
        Estimate prior = CompletionTime.of(cold, request()).estimate("a").orElseThrow();
        assertEquals((long) (MODEL_BYTES / CompletionTime.PRIOR_FETCH_BYTES_PER_SECOND * 1e9)
                + (long) (MODEL_BYTES / CompletionTime.PRIOR_DISK_LOAD_BYTES_PER_SECOND * 1e9), prior.loadNanos());
        assertEquals((long) (MODEL_BYTES * CompletionTime.PRIOR_RUN_NANOS_PER_BYTE), prior.runNanos());
    }

    @Test
    void warmHolderBeatsAHostOnDiskAndAMiss() {
        DirectorySnapshot s = snapshot(List.of(host("a", 0), host("b", 0), host("c", 0)),
                List.of(measured("a", 1), measured("b", 0), measured("c", 0)),
                copy("b", DISK, READY, 0), copy("a", CPU, READY, 0));
        Placement p = place(s, request());
        assertEquals("a", p.host());
        assertEquals(Optional.of(CPU), p.heldIn());
    }

    @Test
    void aHostLoadingTheModelCountsAsAHolderSoABurstSharesOneLoad() {
        List<HostRecord> hosts = List.of(host("a", 0), host("b", 0), host("c", 0));
        List<HostStats> idle = List.of(measured("a", 0), measured("b", 0), measured("c", 0));
        // The directory lists a's load, begun 200 ms ago.
        Placement listed = place(snapshot(hosts, idle, copy("a", DISK, LOADING, NOW - 200)), request());
        assertEquals("a", listed.host());
        // The directory lists nothing yet, but this front door sent a miss to b a moment ago.
        PlacementRequest sent = request().with(new Dispatched(Map.of("b", 1), Map.of("b", NOW - 1)));
        assertEquals("b", place(snapshot(hosts, idle), sent).host());
    }

    @Test
    void aHolderWhoseQueueOutlastsALoadElsewhereMakesAnotherCopy() {
        List<HostRecord> hosts = List.of(host("a", 0), host("b", 0));
        // a holds it in memory; 2 workers, 10 ms a run: a load elsewhere takes 1.5 s, so a queue of 300 × 5 ms does.
        DirectorySnapshot moderate = snapshot(hosts, List.of(measured("a", 200), measured("b", 0)),
                copy("a", CPU, READY, 0));
        assertEquals("a", place(moderate, request()).host(), "a 1 s wait is shorter than a 1.5 s load");
        DirectorySnapshot saturated = snapshot(hosts, List.of(measured("a", 400), measured("b", 0)),
                copy("a", CPU, READY, 0));
        Placement copy = place(saturated, request());
        assertEquals("b", copy.host(), "a 2 s wait is longer than a 1.5 s load");
        assertEquals(Optional.empty(), copy.heldIn());
        HostRecord full = new HostRecord("b", "member-b", "http://b:8081", false, new TierRoom(0, 0),
                new TierRoom(16 * GIB, 16 * GIB), new TierRoom(100 * GIB, 0), 0, NOW);
        DirectorySnapshot noRoom = snapshot(List.of(host("a", 0), full), List.of(measured("a", 400),
                measured("b", 0)), copy("a", CPU, READY, 0));
        assertEquals("a", place(noRoom, request()).host(), "no copy that would push other models out");
    }

    @Test
    void frontDoorsOwnInFlightCountsWhenTheDirectoryLags() {
        List<HostRecord> hosts = List.of(host("a", 0), host("b", 0));
        DirectorySnapshot s = snapshot(hosts, List.of(measured("a", 0), measured("b", 0)),
                copy("a", CPU, READY, 0), copy("b", CPU, READY, 0));
        PlacementRequest busyA = request().with(new Dispatched(Map.of("a", 6), Map.of()));
        assertEquals("b", place(s, busyA).host());
    }

    @Test
    void aCopyBeingEvictedOrOnAnExcludedHostIsNotAHolder() {
        List<HostRecord> hosts = List.of(host("a", 0), host("b", 0));
        List<HostStats> idle = List.of(measured("a", 0), measured("b", 0));
        DirectorySnapshot s = snapshot(hosts, idle, copy("a", CPU, EVICTING, 0), copy("b", DISK, READY, 0));
        assertEquals("b", place(s, request()).host());
        DirectorySnapshot warmA = snapshot(hosts, idle, copy("a", CPU, READY, 0));
        Placement elsewhere = place(warmA, new PlacementRequest(MODEL, MODEL_BYTES, Set.of("a")));
        assertEquals("b", elsewhere.host());
        assertEquals(Optional.empty(), elsewhere.heldIn());
    }

    @Test
    void aHostTooSmallIsPassedOverNoHostMeansNoPlacementAndItIsTheDefault() {
        HostRecord small = new HostRecord("small", "m", "http://small:8081", false, new TierRoom(0, 0),
                new TierRoom(MODEL_BYTES / 2, 0), new TierRoom(100 * GIB, 0), 0, NOW);
        DirectorySnapshot s = snapshot(List.of(small, host("big", 9)), List.of());
        assertEquals("big", place(s, request()).host());
        assertTrue(policy.place(snapshot(List.of(), List.of()), request()).isEmpty());
        assertTrue(PlacementPolicies.fromEnv(Map.of()) instanceof CompletionTimePolicy, "the default");
    }
}
