package io.trims.placement;

import io.trims.directory.ModelId;
import io.trims.directory.TierLevel;
import io.trims.policy.placement.Dispatched;
import io.trims.policy.placement.Placement;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DispatchLedgerTest {

    private static final ModelId MODEL = new ModelId("resnet", "1");
    private static final ModelId OTHER = new ModelId("bert", "1");

    private static Placement to(String host, Optional<TierLevel> heldIn) {
        return new Placement(host, "http://" + host, heldIn);
    }

    @Test
    void countsRequestsPerHostAndMissesPerModelUntilAnswered() {
        DispatchLedger ledger = new DispatchLedger();
        DispatchLedger.Ticket miss = ledger.sent(to("a", Optional.empty()), MODEL, 100);
        DispatchLedger.Ticket secondMiss = ledger.sent(to("a", Optional.empty()), MODEL, 150);
        DispatchLedger.Ticket fromDisk = ledger.sent(to("b", Optional.of(TierLevel.DISK)), MODEL, 120);
        DispatchLedger.Ticket warm = ledger.sent(to("b", Optional.of(TierLevel.CPU)), OTHER, 130);

        assertEquals(new Dispatched(Map.of("a", 2, "b", 2), Map.of("a", 100L, "b", 120L)), ledger.view(MODEL));
        assertEquals(new Dispatched(Map.of("a", 2, "b", 2), Map.of()), ledger.view(OTHER), "a warm hit loads nothing");

        ledger.answered(miss);
        assertEquals(Map.of("a", 100L, "b", 120L), ledger.view(MODEL).missesSentAtMillis(),
                "one of a's two misses is still out: a is still loading, since the first was sent");
        ledger.answered(secondMiss);
        ledger.answered(fromDisk);
        ledger.answered(warm);
        assertEquals(Dispatched.NONE, ledger.view(MODEL));
    }
}
