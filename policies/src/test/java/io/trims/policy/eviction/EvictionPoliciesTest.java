package io.trims.policy.eviction;

import io.trims.directory.TierLevel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvictionPoliciesTest {

    private static final EvictionContext GPU = EvictionContext.alone(TierLevel.GPU, () -> 0);

    @Test
    void everyConfiguredNameSelectsItsPolicy() {
        assertEquals("lru", EvictionPolicies.byName("lru", GPU).name());
        assertEquals("lfu", EvictionPolicies.byName("LFU", GPU).name());
        assertEquals("gdsf", EvictionPolicies.byName(" gdsf ", GPU).name());
        assertInstanceOf(BeladyAmPolicy.class, EvictionPolicies.byName("belady-am", GPU));
        assertEquals("cluster-aware:belady-am", EvictionPolicies.byName("cluster-aware", GPU).name());
        assertEquals("cluster-aware:gdsf", EvictionPolicies.byName("Cluster-Aware: GDSF", GPU).name());
        for (String base : List.of("lru", "lfu", "gdsf", "belady-am")) {
            EvictionPolicy aware = EvictionPolicies.byName("cluster-aware:" + base, GPU);
            assertEquals(aware.name(), EvictionPolicies.byName(aware.name(), GPU).name(), "a name selects itself again");
        }
    }

    @Test
    void unknownNamesAreRefusedWithTheNamesThatExist() {
        for (String name : List.of("belady", "", "cluster-aware:", "cluster-aware:belady", "cluster-aware:cluster-aware:lru")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> EvictionPolicies.byName(name, GPU), name);
            assertTrue(e.getMessage().startsWith("unknown eviction policy '" + name + "'"), e.getMessage());
            for (String known : List.of("belady-am", "gdsf", "lfu", "lru", "cluster-aware", "cluster-aware:<")) {
                assertTrue(e.getMessage().contains(known), e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> EvictionPolicies.requireKnown(name), name);
        }
        EvictionPolicies.requireKnown("cluster-aware:lfu");
    }
}
