package io.trims.policy.promotion;

import io.trims.policy.promotion.PromotionPolicy.Candidate;
import io.trims.policy.promotion.PromotionPolicy.Decision;
import io.trims.directory.ModelId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PromotionPolicyTest {

    private static final ModelId A = new ModelId("a", "1");
    private static final ModelId B = new ModelId("b", "1");

    /** The ticker, in nanoseconds, moved by hand. */
    private final AtomicLong nanos = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));
    private final PromotionPolicy policy = new PromotionPolicy(2, 60_000);
    private final UseHistory history = new UseHistory(policy.promoteAfter(), policy.windowMillis(), nanos::get);

    private Decision use(ModelId id) {
        return policy.decide(new Candidate(true, false, false, false, history.record(id)), history.now());
    }

    private void advanceMillis(long millis) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void theSecondUseWithinTheWindowPromotes() {
        assertEquals(Decision.WAIT, use(A));
        advanceMillis(59_999);
        assertEquals(Decision.PROMOTE, use(A));
    }

    @Test
    void usesFurtherApartThanTheWindowDoNotPromote() {
        assertEquals(Decision.WAIT, use(A));
        advanceMillis(60_000);
        assertEquals(Decision.WAIT, use(A));
        advanceMillis(1);
        assertEquals(Decision.PROMOTE, use(A));
    }

    @Test
    void usesOfOtherModelsDoNotCount() {
        assertEquals(Decision.WAIT, use(A));
        assertEquals(Decision.WAIT, use(B));
        assertEquals(Decision.PROMOTE, use(B));
    }

    @Test
    void cpuOnlyRefusedResidentOrLoadingModelsAreNeverPromoted() {
        List<Long> hot = List.of(history.now(), history.now());
        assertEquals(Decision.PROMOTE, policy.decide(new Candidate(true, false, false, false, hot), history.now()));
        assertEquals(Decision.NEVER, policy.decide(new Candidate(false, false, false, false, hot), history.now()));
        assertEquals(Decision.NEVER, policy.decide(new Candidate(true, true, false, false, hot), history.now()));
        assertEquals(Decision.NEVER, policy.decide(new Candidate(true, false, true, false, hot), history.now()));
        assertEquals(Decision.NEVER, policy.decide(new Candidate(true, false, false, true, hot), history.now()));
    }

    @Test
    void promoteAfterOnePromotesOnFirstUseAndThreeNeedsThree() {
        PromotionPolicy eager = new PromotionPolicy(1, 1000);
        assertEquals(Decision.PROMOTE, eager.decide(new Candidate(true, false, false, false, List.of(5L)), 5));
        PromotionPolicy patient = new PromotionPolicy(3, 1000);
        assertEquals(Decision.WAIT, patient.decide(new Candidate(true, false, false, false, List.of(1L, 2L)), 3));
        assertEquals(Decision.PROMOTE, patient.decide(new Candidate(true, false, false, false, List.of(1L, 2L, 3L)), 3));
        assertThrows(IllegalArgumentException.class, () -> new PromotionPolicy(0, 1000));
        assertThrows(IllegalArgumentException.class, () -> new PromotionPolicy(2, 0));
    }

    @Test
    void historyKeepsOnlyWhatThePolicyNeeds() {
        for (int i = 0; i < 10; i++) {
            history.record(A);
        }
        assertEquals(2, history.record(A).size());
        advanceMillis(60_000);
        history.record(B);
        assertEquals(1, history.tracked(), "a model unused for a whole window is dropped");
        history.forget(B);
        assertEquals(0, history.tracked());
    }
}
