package io.trims.policy.placement;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;
import io.trims.directory.ModelId;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;
import io.trims.directory.TierRoom;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The baselines trims is measured against, on hand-made snapshots. */
class BaselinePoliciesTest {

    private static final ModelId MODEL = new ModelId("m", "1");
    private static final long GIB = 1L << 30;

    private static HostRecord host(String name, int inFlight, long cpuFree) {
        return new HostRecord(name, "member-" + name, "http://" + name, false, new TierRoom(0, 0),
                new TierRoom(4 * GIB, 4 * GIB - cpuFree), new TierRoom(8 * GIB, 0), inFlight, 0);
    }

    private static Residency copy(String host, TierLevel tier, ResidencyState state) {
        return new Residency(host, MODEL.name(), MODEL.version(), tier, state, 100, 0);
    }

    private static DirectorySnapshot snapshot(List<HostRecord> hosts, List<Residency> copies) {
        return new DirectorySnapshot(hosts.stream().collect(Collectors.toMap(HostRecord::host, h -> h)), copies, 0);
    }

    /** a holds the model on disk and is idle; b holds it in CPU and is busy; c holds nothing and is the idlest. */
    private final DirectorySnapshot cluster = snapshot(
            List.of(host("a", 1, GIB), host("b", 5, GIB), host("c", 0, 3 * GIB)),
            List.of(copy("a", TierLevel.DISK, ResidencyState.READY), copy("b", TierLevel.CPU, ResidencyState.READY)));

    @Test
    void leastLoadedIgnoresWhereTheModelIsAndSaysWhatItWillFindThere() {
        PlacementPolicy policy = PlacementPolicies.byName("least-loaded");
        assertEquals(new Placement("c", "http://c", Optional.empty()), policy.place(cluster, new PlacementRequest(MODEL, 100)).orElseThrow());
        Placement withoutC = policy.place(cluster, new PlacementRequest(MODEL, 100, Set.of("c"))).orElseThrow();
        assertEquals(new Placement("a", "http://a", Optional.of(TierLevel.DISK)), withoutC);
    }

    @Test
    void holderLruGoesToTheLeastBusyHolderWhateverItsTierAndToTheRoomiestHostOnAMiss() {
        PlacementPolicy policy = PlacementPolicies.byName("holder-lru");
        assertEquals(new Placement("a", "http://a", Optional.of(TierLevel.DISK)), policy.place(cluster, new PlacementRequest(MODEL, 100)).orElseThrow(),
                "a's disk copy, not b's busy CPU copy (fastest-tier would take b)");
        assertEquals("b", new FastestTierPolicy().place(cluster, new PlacementRequest(MODEL, 100)).orElseThrow().host());
        DirectorySnapshot noCopies = snapshot(List.copyOf(cluster.hosts().values()), List.of());
        assertEquals(new Placement("c", "http://c", Optional.empty()), policy.place(noCopies, new PlacementRequest(MODEL, 100)).orElseThrow());
        DirectorySnapshot evicting = snapshot(List.copyOf(cluster.hosts().values()),
                List.of(copy("a", TierLevel.DISK, ResidencyState.EVICTING)));
        assertEquals("c", policy.place(evicting, new PlacementRequest(MODEL, 100)).orElseThrow().host(),
                "a copy being evicted is no holder");
    }

    @Test
    void randomDrawsEveryLiveHostAndTheSameOnesForTheSameSeed() {
        PlacementRequest request = new PlacementRequest(MODEL, 100, Set.of("b"));
        Set<String> drawn = new HashSet<>();
        RandomPolicy seeded = new RandomPolicy(new SplittableRandom(7));
        RandomPolicy again = new RandomPolicy(new SplittableRandom(7));
        for (int i = 0; i < 200; i++) {
            Placement p = seeded.place(cluster, request).orElseThrow();
            assertEquals(p, again.place(cluster, request).orElseThrow());
            drawn.add(p.host());
        }
        assertEquals(Set.of("a", "c"), drawn, "never the excluded host, sooner or later every other");
    }

    @Test
    void noLiveHostIsNoPlacement() {
        DirectorySnapshot empty = snapshot(List.of(), List.of());
        for (String name : List.of("completion-time", "fastest-tier", "holder-lru", "least-loaded", "random")) {
            assertTrue(PlacementPolicies.byName(name).place(empty, new PlacementRequest(MODEL, 100)).isEmpty(), name);
        }
        assertEquals(CompletionTimePolicy.class, PlacementPolicies.fromEnv(Map.of()).getClass());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlacementPolicies.byName("nearest"));
        assertTrue(e.getMessage().contains("holder-lru"), e.getMessage());
    }
}
