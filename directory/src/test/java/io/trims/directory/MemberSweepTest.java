package io.trims.directory;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records of a member that is gone go whatever their age: a host record naming a member id not in the cluster
 * (as a split-brain merge puts back) is removed with its residencies and statistics, a live member's stays; copies
 * of a host that has no record go after two orphan passes; a cleared map empties a member's live copy at once.
 */
class MemberSweepTest extends TwoMembers {

    private static HostRecord host(String name, String memberId) {
        return new HostRecord(name, memberId, "http://" + name, false, new TierRoom(0, 0), new TierRoom(100, 0),
                new TierRoom(1000, 0), 0, 0);
    }

    private static Residency copy(String host) {
        return new Residency(host, "m", "1", TierLevel.CPU, ResidencyState.READY, 10, 0);
    }

    @Test
    void aHostRecordOfAGoneMemberIsRemovedWithItsCopiesAndALiveOneStays() {
        directoryA.publishHost(host("ghost", UUID.randomUUID().toString()));
        directoryA.putResidency(copy("ghost"));
        directoryA.publishStats(HostStats.unmeasured("ghost", 1, 0));
        directoryA.publishHost(host("alive", directoryB.localMemberId()));
        directoryA.putResidency(copy("alive"));
        long start = System.nanoTime();
        awaitTrue(Duration.ofSeconds(5), () -> directoryB.host("ghost").isEmpty());
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs <= 3 * MemberSweep.PERIOD_MILLIS, "removed in " + tookMs + " ms");
        awaitTrue(Duration.ofSeconds(2), () -> directoryB.residencies("ghost").isEmpty()
                && !directoryB.snapshot().stats().containsKey("ghost"));
        assertTrue(directoryB.host("alive").isPresent());
        assertEquals(1, directoryB.residencies("alive").size());
    }

    @Test
    void copiesOfAHostWithoutARecordGoAfterTwoOrphanPasses() {
        directoryA.putResidency(copy("orphan"));
        directoryA.publishHost(host("alive", directoryA.localMemberId()));
        directoryA.putResidency(copy("alive"));
        awaitTrue(Duration.ofSeconds(15), () -> directoryB.residencies("orphan").isEmpty());
        assertEquals(1, directoryB.residencies("alive").size());
    }

    @Test
    void aClearedMapEmptiesTheLiveCopy() {
        directoryA.publishHost(host("alive", directoryA.localMemberId()));
        directoryA.putResidency(copy("alive"));
        try (LiveDirectory live = LiveDirectory.open(directoryB)) {
            assertEquals(1, live.snapshot().residencies().size());
            memberA.getMap(TierDirectory.RESIDENCIES).clear();
            memberA.getMap(TierDirectory.HOSTS).clear();
            awaitTrue(Duration.ofSeconds(5), () -> live.hosts().isEmpty() && live.snapshot().residencies().isEmpty());
            directoryA.publishHost(host("alive", directoryA.localMemberId()));
            awaitTrue(Duration.ofSeconds(5), () -> live.hosts().containsKey("alive"));
        }
    }
}
