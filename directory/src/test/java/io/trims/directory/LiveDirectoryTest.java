package io.trims.directory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live directory copy on one real Hazelcast member, following what another member writes. */
class LiveDirectoryTest extends TwoMembers {

    private static final Duration FOLLOW = Duration.ofSeconds(5);
    private static final ModelId RESNET = new ModelId("resnet", "1");
    private static final ModelId BERT = new ModelId("bert", "2");

    private LiveDirectory live;

    @AfterEach
    void closeCopy() {
        if (live != null) {
            live.close();
        }
    }

    private HostRecord host(String name, int inFlight) {
        return new HostRecord(name, directoryB.localMemberId(), "http://" + name, false, new TierRoom(0, 0),
                new TierRoom(100, 0), new TierRoom(1000, 0), inFlight, 0);
    }

    private static Residency copy(String host, ModelId model, TierLevel tier, ResidencyState state) {
        return new Residency(host, model.name(), model.version(), tier, state, 10, 0);
    }

    private static Set<String> keys(DirectorySnapshot snapshot) {
        return snapshot.residencies().stream().map(Residency::key).collect(Collectors.toSet());
    }

    @Test
    void opensWithWhatIsThereAndAModelsSnapshotHoldsOnlyItsCopies() {
        directoryB.publishHost(host("a", 0));
        directoryB.publishHost(host("b", 0));
        directoryB.publishStats(HostStats.unmeasured("a", 4, 0));
        directoryB.putResidency(copy("a", RESNET, TierLevel.CPU, ResidencyState.READY));
        directoryB.putResidency(copy("b", RESNET, TierLevel.DISK, ResidencyState.READY));
        directoryB.putResidency(copy("b", BERT, TierLevel.CPU, ResidencyState.LOADING));

        live = LiveDirectory.open(directoryA);

        DirectorySnapshot resnet = live.snapshotFor(RESNET);
        assertEquals(Set.of("a", "b"), resnet.hosts().keySet());
        assertEquals(Set.of("a|resnet:1|cpu", "b|resnet:1|disk"), keys(resnet));
        assertEquals(4, resnet.stats("a").orElseThrow().concurrency());
        assertTrue(resnet.stats("b").isEmpty());
        assertEquals(Set.of("b|bert:2|cpu"), keys(live.snapshotFor(BERT)));
        assertEquals(3, live.snapshot().residencies().size());
        assertTrue(live.snapshotFor(new ModelId("absent", "1")).residencies().isEmpty());
    }

    @Test
    void followsChangesAndAHostThatLeavesTakesItsCopiesAndStatistics() {
        live = LiveDirectory.open(directoryA);
        directoryB.publishHost(host("a", 0));
        directoryB.putResidency(copy("a", RESNET, TierLevel.DISK, ResidencyState.LOADING));
        awaitTrue(FOLLOW, () -> keys(live.snapshotFor(RESNET)).equals(Set.of("a|resnet:1|disk")));

        directoryB.putResidency(copy("a", RESNET, TierLevel.DISK, ResidencyState.READY));
        directoryB.publishHost(host("a", 7));
        directoryB.publishStats(HostStats.unmeasured("a", 2, 0));
        awaitTrue(FOLLOW, () -> live.snapshotFor(RESNET).residencies().get(0).state() == ResidencyState.READY
                && live.hosts().get("a").inFlight() == 7
                && live.snapshotFor(RESNET).stats("a").isPresent());

        directoryB.removeResidency("a", RESNET, TierLevel.DISK);
        awaitTrue(FOLLOW, () -> live.snapshotFor(RESNET).residencies().isEmpty());

        directoryB.putResidency(copy("a", BERT, TierLevel.CPU, ResidencyState.READY));
        awaitTrue(FOLLOW, () -> !live.snapshotFor(BERT).residencies().isEmpty());
        directoryB.removeHost("a");
        awaitTrue(FOLLOW, () -> live.hosts().isEmpty() && live.snapshot().residencies().isEmpty()
                && live.snapshot().stats().isEmpty());
    }

    @Test
    void aResyncAgreesWithTheEventsAndTheDirectory() {
        live = LiveDirectory.open(directoryA);
        directoryB.publishHost(host("a", 1));
        directoryB.publishHost(host("b", 2));
        for (ModelId model : List.of(RESNET, BERT)) {
            directoryB.putResidency(copy("a", model, TierLevel.CPU, ResidencyState.READY));
        }
        directoryB.removeHost("b");
        awaitTrue(FOLLOW, () -> live.hosts().keySet().equals(Set.of("a")) && live.snapshot().residencies().size() == 2);

        live.resync();

        DirectorySnapshot read = directoryA.snapshot();
        assertEquals(read.hosts(), live.hosts());
        assertEquals(keys(read), keys(live.snapshot()));
    }

    @Test
    void watchersAreToldAfterEachChangeIsAppliedAndNotAfterTheyLeave() throws Exception {
        live = LiveDirectory.open(directoryA);
        List<ResidencyState> seen = new CopyOnWriteArrayList<>();
        AutoCloseable watching = live.onChange(() -> live.snapshotFor(RESNET).residencies()
                .forEach(r -> seen.add(r.state())));
        directoryB.publishHost(host("a", 0));
        directoryB.putResidency(copy("a", RESNET, TierLevel.CPU, ResidencyState.LOADING));
        awaitTrue(FOLLOW, () -> seen.contains(ResidencyState.LOADING));
        directoryB.putResidency(copy("a", RESNET, TierLevel.CPU, ResidencyState.READY));
        awaitTrue(FOLLOW, () -> seen.contains(ResidencyState.READY));

        watching.close();
        int told = seen.size();
        directoryB.removeResidency("a", RESNET, TierLevel.CPU);
        awaitTrue(FOLLOW, () -> live.snapshotFor(RESNET).residencies().isEmpty());
        live.resync();
        assertEquals(told, seen.size(), "a watcher that left is not told");
    }
}
