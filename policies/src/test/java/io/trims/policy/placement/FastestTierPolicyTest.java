package io.trims.policy.placement;

import io.trims.policy.placement.FastestTierPolicy;
import io.trims.policy.placement.Placement;
import io.trims.policy.placement.PlacementPolicies;
import io.trims.policy.placement.PlacementPolicy;
import io.trims.policy.placement.PlacementRequest;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;
import io.trims.directory.ModelId;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
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
import static io.trims.directory.TierLevel.GPU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FastestTierPolicyTest {

    private static final long GIB = 1L << 30;
    private static final ModelId MODEL = new ModelId("resnet", "1");
    private final PlacementPolicy policy = new FastestTierPolicy();

    private static HostRecord host(String name, boolean gpu, long cpuFree, int inFlight) {
        return new HostRecord(name, "member-" + name, "http://" + name + ":8081", gpu,
                new TierRoom(gpu ? 8 * GIB : 0, 0), new TierRoom(16 * GIB, 16 * GIB - cpuFree),
                new TierRoom(100 * GIB, 0), inFlight, 0);
    }

    private static Residency copy(String host, TierLevel tier, ResidencyState state) {
        return new Residency(host, MODEL.name(), MODEL.version(), tier, state, 100, 0);
    }

    private static DirectorySnapshot snapshot(List<HostRecord> hosts, Residency... copies) {
        Map<String, HostRecord> byName = hosts.stream().collect(Collectors.toMap(HostRecord::host, Function.identity()));
        return new DirectorySnapshot(byName, List.of(copies), 0);
    }

    private Placement place(DirectorySnapshot snapshot) {
        return policy.place(snapshot, new PlacementRequest(MODEL, 100)).orElseThrow();
    }

    @Test
    void aCpuOnlyModelIsNeverExpectedInTheGpuTier() {
        var hosts = List.of(host("a", true, GIB, 0), host("b", true, GIB, 5));
        DirectorySnapshot snapshot = snapshot(hosts, copy("a", GPU, READY), copy("b", CPU, READY));
        PlacementRequest cpuOnly = new PlacementRequest(MODEL, 100, Set.of(), false);

        Placement p = policy.place(snapshot, cpuOnly).orElseThrow();
        assertEquals("b", p.host());
        assertEquals(Optional.of(CPU), p.heldIn());
        Placement onlyGpuCopy = policy.place(snapshot(hosts, copy("a", GPU, READY)), cpuOnly).orElseThrow();
        assertEquals(Optional.empty(), onlyGpuCopy.heldIn());
        assertEquals(Optional.of(GPU), place(snapshot).heldIn());
    }

    @Test
    void fastestTierWinsOverALessBusyHost() {
        var hosts = List.of(host("a", true, GIB, 9), host("b", true, GIB, 0), host("c", true, GIB, 0));
        Placement p = place(snapshot(hosts, copy("b", CPU, READY), copy("a", GPU, READY), copy("c", DISK, READY)));
        assertEquals("a", p.host());
        assertEquals("http://a:8081", p.endpoint());
        assertEquals(Optional.of(GPU), p.heldIn());
        assertEquals("gpu", p.expectedTier());
    }

    @Test
    void amongEqualTiersTheLeastInFlightThenTheHostName() {
        var hosts = List.of(host("a", false, GIB, 3), host("b", false, GIB, 1), host("c", false, GIB, 1));
        assertEquals("b", place(snapshot(hosts, copy("a", CPU, READY), copy("c", CPU, READY), copy("b", CPU, READY))).host());
    }

    @Test
    void loadingCountsAsAHitButAfterReadyOfTheSameTier() {
        var hosts = List.of(host("a", false, GIB, 0), host("b", false, GIB, 5), host("c", false, 8 * GIB, 0));
        assertEquals("b", place(snapshot(hosts, copy("a", CPU, LOADING), copy("b", CPU, READY))).host());
        Placement loading = place(snapshot(hosts, copy("a", CPU, LOADING), copy("b", DISK, READY)));
        assertEquals("a", loading.host(), "a LOADING copy in a faster tier beats a READY one in a slower tier");
        assertEquals("cpu", loading.expectedTier());
    }

    @Test
    void evictingCopiesAndAbsentTiersAreNotHits() {
        var hosts = List.of(host("a", false, GIB, 0), host("b", false, 2 * GIB, 0), host("c", false, GIB, 0));
        Placement p = place(snapshot(hosts, copy("a", GPU, READY), copy("c", CPU, EVICTING)));
        assertEquals("b", p.host(), "a has no GPU tier and c is evicting: a miss goes to the roomiest host");
        assertEquals(Optional.empty(), p.heldIn());
        assertEquals("remote", p.expectedTier());
    }

    @Test
    void aMissGoesToTheMostFreeCpuRoomThenTheLeastInFlight() {
        var hosts = List.of(host("a", true, GIB, 0), host("b", false, 4 * GIB, 2), host("c", false, 4 * GIB, 1));
        Placement p = place(snapshot(hosts));
        assertEquals("c", p.host());
        assertEquals("remote", p.expectedTier());
    }

    @Test
    void aMissSkipsHostsWhoseWholeCpuTierIsSmallerThanTheModel() {
        HostRecord small = new HostRecord("small", "member-small", "http://small:8081", false,
                new TierRoom(0, 0), new TierRoom(GIB, 0), new TierRoom(100 * GIB, 0), 0, 0);
        var hosts = List.of(small, host("large", false, GIB / 2, 0));
        DirectorySnapshot snapshot = snapshot(hosts);

        Placement p = policy.place(snapshot, new PlacementRequest(MODEL, 2 * GIB)).orElseThrow();
        assertEquals("large", p.host(), "small has more free room, but its whole tier cannot hold the model");
        assertEquals("small", place(snapshot).host(), "a model that fits both goes to the most free room");
        Placement tooBigForAll = policy.place(snapshot, new PlacementRequest(MODEL, 32 * GIB)).orElseThrow();
        assertEquals("small", tooBigForAll.host(), "no host can hold it: the roomiest still gets it (and says 507)");
        assertEquals("remote", tooBigForAll.expectedTier());
    }

    @Test
    void copiesOfOtherModelsAndDeadHostsAreIgnored() {
        var hosts = List.of(host("a", false, GIB, 0), host("b", false, 2 * GIB, 0));
        Residency otherVersion = new Residency("a", MODEL.name(), "2", CPU, READY, 100, 0);
        Placement p = place(snapshot(hosts, otherVersion, copy("gone", GPU, READY)));
        assertEquals("b", p.host());
        assertEquals("remote", p.expectedTier());
    }

    @Test
    void excludedHostsAreNeverChosen() {
        var hosts = List.of(host("a", false, 8 * GIB, 0), host("b", false, GIB, 0));
        DirectorySnapshot snapshot = snapshot(hosts, copy("a", CPU, READY));
        Placement retry = policy.place(snapshot, new PlacementRequest(MODEL, 100).excluding("a")).orElseThrow();
        assertEquals("b", retry.host());
        assertEquals("remote", retry.expectedTier());
        assertTrue(policy.place(snapshot, new PlacementRequest(MODEL, 100, Set.of("a", "b"))).isEmpty());
    }

    @Test
    void noLiveHostGivesNoPlacement() {
        assertTrue(policy.place(snapshot(List.of()), new PlacementRequest(MODEL, 100)).isEmpty());
    }

    @Test
    void thePolicyIsChosenByName() {
        assertTrue(PlacementPolicies.fromEnv(Map.of(PlacementPolicies.ENV, "Fastest-Tier")) instanceof FastestTierPolicy);
        var error = assertThrows(IllegalArgumentException.class, () -> PlacementPolicies.byName("round-robin"));
        assertTrue(error.getMessage().contains("round-robin"));
    }
}
