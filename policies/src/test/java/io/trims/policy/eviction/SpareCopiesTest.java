package io.trims.policy.eviction;

import io.trims.directory.ModelId;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which copies a host gives back, from snapshots of its tier and of the copies other hosts hold. */
class SpareCopiesTest {

    private static final long IDLE = 60_000_000_000L;
    private static final long NOW = 10 * IDLE;

    private static ModelId id(String name) {
        return new ModelId(name, "1");
    }

    private static Resident resident(String name, long idleFor, int inFlight) {
        return new Resident(id(name), 100, NOW - idleFor, 4, Optional.empty(), inFlight);
    }

    private static Residency copy(String host, String model, TierLevel tier, ResidencyState state) {
        return new Residency(host, model, "1", tier, state, 100, 0);
    }

    /** The copies a host sees elsewhere: all of {@code all} but its own. */
    private static CopiesElsewhere seenBy(String host, List<Residency> all) {
        return model -> all.stream().filter(c -> !c.host().equals(host) && c.modelId().equals(model)).toList();
    }

    @Test
    void anIdleCopyThatAnEarlierHostKeepsIsSpareAndNoOtherIs() {
        List<Residency> all = List.of(
                copy("a", "spare", TierLevel.CPU, ResidencyState.READY),
                copy("a", "on-gpu-there", TierLevel.GPU, ResidencyState.READY),
                copy("a", "loading-there", TierLevel.CPU, ResidencyState.LOADING),
                copy("a", "on-disk-there", TierLevel.DISK, ResidencyState.READY),
                copy("a", "in-use", TierLevel.CPU, ResidencyState.READY),
                copy("a", "recent", TierLevel.CPU, ResidencyState.READY),
                copy("c", "kept-here", TierLevel.CPU, ResidencyState.READY));
        List<Resident> mine = List.of(
                resident("spare", IDLE, 0),
                resident("on-gpu-there", 2 * IDLE, 0),
                resident("loading-there", 2 * IDLE, 0),
                resident("on-disk-there", 2 * IDLE, 0),
                resident("last", 2 * IDLE, 0),
                resident("in-use", 2 * IDLE, 1),
                resident("recent", IDLE - 1, 0),
                resident("kept-here", 2 * IDLE, 0));
        List<ModelId> spare = new SpareCopies("b", IDLE).in(TierLevel.CPU, mine, seenBy("b", all), NOW);
        assertEquals(List.of(id("spare"), id("on-gpu-there")), spare,
                "host c sorts after b, so b keeps kept-here; a disk or loading copy elsewhere is no keeper");
    }

    @Test
    void aCopyInASlowerTierElsewhereLeavesAGpuCopyTheLast() {
        List<Residency> all = List.of(copy("a", "m", TierLevel.CPU, ResidencyState.READY));
        List<Resident> gpu = List.of(resident("m", 2 * IDLE, 0));
        assertEquals(List.of(), new SpareCopies("b", IDLE).in(TierLevel.GPU, gpu, seenBy("b", all), NOW));
        assertEquals(List.of(id("m")), new SpareCopies("b", IDLE).in(TierLevel.CPU, gpu, seenBy("b", all), NOW));
    }

    @Test
    void hostsDecidingAtOnceOnTheSameViewLeaveTheFirstHostsCopy() {
        List<String> hosts = List.of("agent-3", "agent-1", "agent-2", "agent-10");
        List<Residency> all = hosts.stream().map(h -> copy(h, "m", TierLevel.CPU, ResidencyState.READY)).toList();
        List<String> keeping = new ArrayList<>();
        for (String host : hosts) {
            List<ModelId> spare = new SpareCopies(host, IDLE)
                    .in(TierLevel.CPU, List.of(resident("m", 2 * IDLE, 0)), seenBy(host, all), NOW);
            if (spare.isEmpty()) {
                keeping.add(host);
            }
        }
        assertEquals(List.of("agent-1"), keeping, "exactly one holder, the first by name, keeps its copy");
    }

    @Test
    void theLastCopyIsNeverSpare() {
        List<Resident> mine = List.of(resident("m", 100 * IDLE, 0));
        assertEquals(List.of(), new SpareCopies("z", IDLE).in(TierLevel.CPU, mine, model -> List.of(), NOW));
        assertThrows(IllegalArgumentException.class, () -> new SpareCopies("z", 0));
    }
}
