package io.trims.agent.tier;

import io.trims.policy.eviction.LoadCost;
import io.trims.policy.eviction.Resident;
import io.trims.directory.ModelId;
import io.trims.directory.TierLevel;

import java.util.List;
import java.util.Optional;

/**
 * One level of a host's storage hierarchy, holding values of {@code T} (a file, a loaded model) within a byte
 * budget. Admission is two steps: {@link #reserve} makes room (demoting victims chosen by the eviction policy),
 * {@link #put} fills the reservation. Lookups ({@link #contains}, {@link #acquire}, {@link #residents}) take no lock and
 * may run on an event loop; the rest may block (eviction disposes of values, a reservation may wait for the evicted
 * copy of the same model to move aside): call it from worker threads.
 */
public interface Tier<T> extends AutoCloseable {

    TierLevel level();

    long capacityBytes();

    /** Bytes held, reservations of loads in progress included. */
    long usedBytes();

    /** The ready residents now, with their use statistics. */
    List<Resident> residents();

    boolean contains(ModelId id);

    /** The value if resident, counting a hit and one use in flight until {@link #release}. */
    Optional<T> acquire(ModelId id);

    void release(ModelId id);

    /**
     * Makes room for {@code bytes} and holds it for {@code id}, demoting idle residents the policy picks.
     *
     * @throws TierException too big if the model is bigger than the whole tier, busy if only models in use could
     *                       go or the model is already in or loading into this tier
     */
    void reserve(ModelId id, long bytes);

    /**
     * Fills a reservation with the loaded value, its real size and what its load cost; the caller holds one use until
     * {@link #release}.
     */
    void put(ModelId id, T value, long bytes, LoadCost cost);

    /** Gives back a reservation whose load failed. */
    void cancel(ModelId id);

    /** Lets a model go now, or when its last use is released; false if it is not here. */
    boolean evict(ModelId id);

    /** Frees what the tier holds in memory at shutdown (what is on disk stays for the next start). */
    @Override
    void close();
}
