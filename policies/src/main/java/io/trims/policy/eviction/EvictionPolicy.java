package io.trims.policy.eviction;

import java.util.List;

/** Which residents of a full tier to demote to make room. A pure function over an immutable snapshot. */
public interface EvictionPolicy {

    /** The name configuration selects this policy by ({@code TRIMS_EVICTION_POLICY}). */
    String name();

    /**
     * @param residents     the tier's residents now
     * @param capacityBytes the tier's budget
     * @param usedBytes     bytes the tier holds now (may include reservations not among the residents)
     * @param neededBytes   bytes the newcomer needs
     * @return the victims in demotion order (none with requests in flight), or {@link EvictionPlan#cannotFit()}
     */
    EvictionPlan plan(List<Resident> residents, long capacityBytes, long usedBytes, long neededBytes);
}
