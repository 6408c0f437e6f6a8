package io.trims.directory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local catalogue copy on one real Hazelcast member, following what another member writes. */
class CatalogueViewTest extends TwoMembers {

    private static final Duration FOLLOW = Duration.ofSeconds(5);

    private CatalogueView view;

    @AfterEach
    void closeView() {
        if (view != null) {
            view.close();
        }
    }

    @Test
    void opensWithWhatIsRegisteredAlready() {
        directoryB.putModel(model("bge", "2", 20));
        directoryB.putModel(model("bge", "1", 10));
        directoryB.putModel(model("minilm", "1", 5));

        view = CatalogueView.open(directoryA);

        assertEquals(List.of("1", "2"), view.versions("bge").stream().map(ModelRecord::version).toList());
        assertEquals(model("bge", "2", 20), view.latest("bge").orElseThrow());
        assertEquals(model("minilm", "1", 5), view.model(new ModelId("minilm", "1")).orElseThrow());
        assertTrue(view.latest("absent").isEmpty());
        assertTrue(view.versions("absent").isEmpty());
        assertTrue(view.model(new ModelId("bge", "3")).isEmpty());
    }

    @Test
    void followsRecordsPutAndRemovedOnAnotherMember() {
        view = CatalogueView.open(directoryA);
        assertTrue(view.latest("bge").isEmpty());

        directoryB.putModel(model("bge", "1", 10));
        directoryB.putModel(model("bge", "10", 30));
        // Events of different keys come on different partition threads, in no fixed order.
        awaitTrue(FOLLOW, () -> view.versions("bge").size() == 2);
        assertEquals(List.of("1", "10"), view.versions("bge").stream().map(ModelRecord::version).toList());
        assertEquals("10", view.latest("bge").orElseThrow().version());

        ModelRecord cpuOnly = model("bge", "1", 10).withGpuUnsupportedReason("operator LSTM has no GPU kernel");
        directoryB.putModel(cpuOnly);
        awaitTrue(FOLLOW, () -> view.model(cpuOnly.id()).map(ModelRecord::gpuCapable).equals(Optional.of(false)));

        directoryB.removeModel(new ModelId("bge", "10"));
        awaitTrue(FOLLOW, () -> view.latest("bge").equals(Optional.of(cpuOnly)));
        directoryB.removeModel(cpuOnly.id());
        awaitTrue(FOLLOW, () -> view.versions("bge").isEmpty());
        assertTrue(view.model(cpuOnly.id()).isEmpty());
    }

    @Test
    void thisMembersOwnWriteIsSeenWhenTheWriteReturns() {
        view = CatalogueView.open(directoryA);
        for (int i = 1; i <= 20; i++) {
            ModelRecord record = model("own", Integer.toString(i), i);
            directoryA.putModel(record);
            assertEquals(record, view.latest("own").orElseThrow(), "register, then look up at once");
        }
        // The put's own event may still be on its way and add "20" back for a moment; the removal's event follows it.
        directoryA.removeModel(new ModelId("own", "20"));
        awaitTrue(FOLLOW, () -> view.latest("own").map(ModelRecord::version).equals(Optional.of("19")));
    }

    @Test
    void aClosedViewStopsFollowing() {
        CatalogueView closed = CatalogueView.open(directoryA);
        closed.close();
        view = CatalogueView.open(directoryA);
        directoryA.putModel(model("late", "1", 1));
        directoryB.putModel(model("late", "2", 2));
        awaitTrue(FOLLOW, () -> view.versions("late").size() == 2);
        assertTrue(closed.versions("late").isEmpty(), "the open view heard both writes, the closed one neither");
    }
}
