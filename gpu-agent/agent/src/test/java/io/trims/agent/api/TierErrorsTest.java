package io.trims.agent.api;

import io.trims.agent.tier.TierException.Kind;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The statuses clients have always been answered with, one per tier outcome (over HTTP: {@link AgentHttpTest}). */
class TierErrorsTest {

    @Test
    void everyTierOutcomeKeepsTheStatusClientsKnow() {
        Map<Kind, Integer> expected = new EnumMap<>(Map.of(
                Kind.NOT_REGISTERED, 404,
                Kind.NOT_IN_STORE, 502,
                Kind.CORRUPT_COPY, 502,
                Kind.BUSY, 503,
                Kind.TOO_BIG, 507,
                Kind.NOT_LOADABLE, 422,
                Kind.STORE_UNAVAILABLE, 503,
                Kind.DISK_FULL, 507));
        Map<Kind, Integer> actual = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            actual.put(kind, TierErrors.statusOf(kind));
        }
        assertEquals(expected, actual);
    }
}
