package io.trims.agent.residency;

import com.hazelcast.core.HazelcastInstance;
import io.trims.directory.HostRecord;
import io.trims.directory.LocalMembers;
import io.trims.directory.ModelId;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierDirectory;
import io.trims.directory.TierLevel;
import io.trims.directory.TierRoom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.trims.agent.testing.TestCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** ClusterCopies following a real Hazelcast directory, written to as other hosts would. */
class ClusterCopiesTest {

    private static final String SELF = "self";
    private static final ModelId M = new ModelId("m", "1");

    private LocalMembers members;
    private HazelcastInstance member;
    private TierDirectory directory;
    private ClusterCopies copies;

    @BeforeEach
    void start() {
        members = LocalMembers.reserve("copies-test-" + UUID.randomUUID(), 2, Map.of());
        member = members.start();
        directory = new TierDirectory(member);
    }

    @AfterEach
    void stop() {
        if (copies != null) {
            copies.close();
        }
        directory.close();
        member.getLifecycleService().terminate();
        members.close();
    }

    private static void host(TierDirectory on, String host) {
        TierRoom room = new TierRoom(1_000, 0);
        on.publishHost(new HostRecord(host, on.localMemberId(), "http://" + host, false, new TierRoom(0, 0), room, room,
                0, System.currentTimeMillis()));
    }

    private static void copy(TierDirectory on, String host, TierLevel tier, ResidencyState state) {
        on.putResidency(new Residency(host, M.name(), M.version(), tier, state, 100, System.currentTimeMillis()));
    }

    private Set<String> holders() {
        return copies.of(M).stream().map(c -> c.host() + "/" + c.tier().label()).collect(Collectors.toSet());
    }

    @Test
    void countsFollowOtherHostsCopiesFromTheFirstSnapshotOnAndLeaveOutItsOwn() throws Exception {
        for (String h : List.of(SELF, "h1", "h2")) {
            host(directory, h);
        }
        copy(directory, "h1", TierLevel.CPU, ResidencyState.READY);
        copy(directory, SELF, TierLevel.CPU, ResidencyState.READY);
        copies = ClusterCopies.open(directory, SELF);
        assertEquals(Set.of("h1/cpu"), holders(), "filled from the snapshot, without this host's own copy");

        copy(directory, "h2", TierLevel.GPU, ResidencyState.LOADING);
        eventually(5_000, "h2's loading GPU copy", () -> holders().equals(Set.of("h1/cpu", "h2/gpu")));
        assertEquals(2, copies.count(M, TierLevel.CPU));
        assertEquals(1, copies.count(M, TierLevel.GPU));

        copy(directory, "h2", TierLevel.GPU, ResidencyState.READY);
        copy(directory, "h2", TierLevel.GPU, ResidencyState.READY);
        copy(directory, "h1", TierLevel.CPU, ResidencyState.EVICTING);
        eventually(5_000, "h1's copy being evicted is none", () -> holders().equals(Set.of("h2/gpu")));
        assertEquals(ResidencyState.READY, copies.of(M).iterator().next().state(), "the newest state, counted once");

        directory.removeResidency("h2", M, TierLevel.GPU);
        copy(directory, SELF, TierLevel.GPU, ResidencyState.READY);
        eventually(5_000, "h2's copy removed", () -> holders().isEmpty());
    }

    @Test
    void aHostCountsOnlyWhileItsRecordIsLiveAndALeavingMemberTakesItsCopiesAlong() throws Exception {
        copies = ClusterCopies.open(directory, SELF);
        copy(directory, "h3", TierLevel.CPU, ResidencyState.READY);
        Thread.sleep(200);
        assertEquals(Set.of(), holders(), "no host record for h3 yet");
        host(directory, "h3");
        eventually(5_000, "h3 live", () -> holders().equals(Set.of("h3/cpu")));

        HazelcastInstance other = members.start();
        TierDirectory otherDirectory = new TierDirectory(other);
        host(otherDirectory, "h4");
        copy(otherDirectory, "h4", TierLevel.CPU, ResidencyState.READY);
        eventually(5_000, "h4's copy", () -> holders().equals(Set.of("h3/cpu", "h4/cpu")));

        other.getLifecycleService().terminate();
        eventually(10_000, "the dead member's host dropped", () -> holders().equals(Set.of("h3/cpu")));
        assertEquals(1, copies.count(M, TierLevel.DISK));
    }
}
