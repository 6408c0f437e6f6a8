package io.trims.agent.tier;

import io.trims.policy.eviction.EvictionPlan;
import io.trims.policy.eviction.EvictionPolicy;
import io.trims.policy.eviction.Resident;
import io.trims.directory.ModelId;
import io.trims.directory.TierLevel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The bookkeeping every tier shares: residents, their statistics, the byte budget and eviction through the policy.
 * State changes happen under the object's lock; disposing of a value (closing a session, deleting a file) and
 * telling the listener happen after it is released.
 */
public abstract class BudgetedTier<T> implements Tier<T> {

    private final TierLevel level;
    private final long capacity;
    private final EvictionPolicy policy;
    private final Map<ModelId, Entry<T>> entries = new HashMap<>();
    private long used;
    private volatile TierListener listener = (tier, resident) -> {
    };

    protected BudgetedTier(TierLevel level, long capacity, EvictionPolicy policy) {
        if (capacity < 0) {
            throw new IllegalArgumentException(level.label() + " tier budget must not be negative: " + capacity);
        }
        this.level = level;
        this.capacity = capacity;
        this.policy = policy;
    }

    /** Frees a value that has left the tier. Called without the lock held. */
    protected abstract void dispose(ModelId id, T value);

    /**
     * Called under the lock as a value leaves the tier, before {@link #dispose}; returns what dispose gets. A tier
     * whose values sit at a fixed place (a file named after the model) moves them aside here, so that a late dispose
     * cannot touch the copy a reload has put in the same place meanwhile. Must not throw.
     */
    protected T detach(ModelId id, T value) {
        return value;
    }

    public void listen(TierListener listener) {
        this.listener = listener;
    }

    @Override
    public TierLevel level() {
        return level;
    }

    @Override
    public long capacityBytes() {
        return capacity;
    }

    @Override
    public synchronized long usedBytes() {
        return used;
    }

    @Override
    public synchronized List<Resident> residents() {
        List<Resident> out = new ArrayList<>();
        entries.forEach((id, e) -> {
            if (e.value != null) {
                out.add(e.resident(id));
            }
        });
        return List.copyOf(out);
    }

    @Override
    public synchronized boolean contains(ModelId id) {
        Entry<T> e = entries.get(id);
        return e != null && e.value != null && !e.retiring;
    }

    @Override
    public synchronized Optional<T> acquire(ModelId id) {
        Entry<T> e = entries.get(id);
        if (e == null || e.value == null || e.retiring) {
            return Optional.empty();
        }
        e.inFlight++;
        e.hits++;
        e.lastUsed = System.nanoTime();
        return Optional.of(e.value);
    }

    @Override
    public void release(ModelId id) {
        Gone<T> gone;
        synchronized (this) {
            Entry<T> e = entries.get(id);
            if (e == null || e.inFlight == 0) {
                throw new IllegalStateException(id + " released in the " + level.label() + " tier more often than acquired");
            }
            e.inFlight--;
            gone = e.retiring && e.inFlight == 0 ? remove(id) : null;
        }
        letGo(gone);
    }

    @Override
    public void reserve(ModelId id, long bytes) {
        if (bytes > capacity) {
            throw TierException.tooBig(id, bytes, level, capacity);
        }
        List<Gone<T>> victims = new ArrayList<>();
        synchronized (this) {
            if (entries.containsKey(id)) {
                throw TierException.alreadyLoading(id, level);
            }
            // Reservations of other loads are not candidates; their bytes are in used.
            EvictionPlan plan = policy.plan(residents(), capacity, used, bytes);
            if (!plan.fits()) {
                throw TierException.busy(id, bytes, level, capacity, used);
            }
            for (ModelId victim : plan.victims()) {
                victims.add(remove(victim));
            }
            Entry<T> reservation = new Entry<>(bytes);
            entries.put(id, reservation);
            used += bytes;
        }
        victims.forEach(this::letGo);
    }

    @Override
    public void put(ModelId id, T value, long bytes) {
        synchronized (this) {
            Entry<T> e = entries.get(id);
            if (e == null || e.value != null) {
                throw new IllegalStateException(id + " has no reservation in the " + level.label() + " tier");
            }
            used += bytes - e.bytes;
            e.bytes = bytes;
            e.value = value;
            e.loadedAt = System.nanoTime();
            e.lastUsed = e.loadedAt;
            e.inFlight = 1;
        }
    }

    /**
     * Demotes idle residents (through the policy) until the tier is within its budget again: a load whose real cost
     * came out above its reservation may have pushed it over. Returns false if it could not (only models in use left).
     */
    protected boolean fitBudget() {
        List<Gone<T>> victims = new ArrayList<>();
        boolean fits;
        synchronized (this) {
            fits = used <= capacity;
            if (!fits) {
                EvictionPlan plan = policy.plan(residents(), capacity, used, 0);
                fits = plan.fits();
                if (fits) {
                    plan.victims().forEach(victim -> victims.add(remove(victim)));
                }
            }
        }
        victims.forEach(this::letGo);
        return fits;
    }

    /**
     * Re-reads the cost of a resident whose footprint can change while it is resident (a device arena that grows
     * at the first run of a larger batch). Returns the new cost, or -1 if it is not resident or did not change.
     */
    protected synchronized long recost(ModelId id, ToLongFunction<T> cost) {
        Entry<T> e = entries.get(id);
        if (e == null || e.value == null) {
            return -1;
        }
        long now = cost.applyAsLong(e.value);
        if (now == e.bytes) {
            return -1;
        }
        used += now - e.bytes;
        e.bytes = now;
        return now;
    }

    @Override
    public synchronized void cancel(ModelId id) {
        Entry<T> e = entries.get(id);
        if (e != null && e.value == null) {
            entries.remove(id);
            used -= e.bytes;
        }
    }

    @Override
    public boolean evict(ModelId id) {
        Gone<T> gone;
        synchronized (this) {
            Entry<T> e = entries.get(id);
            if (e == null) {
                return false;
            }
            e.retiring = true;
            gone = e.value != null && e.inFlight == 0 ? remove(id) : null;
        }
        letGo(gone);
        return true;
    }

    /** Empties the tier, disposing of every value without telling the listener (the host is leaving). */
    protected void disposeAll() {
        Map<ModelId, Entry<T>> all;
        synchronized (this) {
            all = new HashMap<>(entries);
            entries.clear();
            used = 0;
        }
        all.forEach((id, e) -> {
            if (e.value != null) {
                dispose(id, e.value);
            }
        });
    }

    /** Indexes a value found at startup, e.g. a file already in the cache directory. */
    protected synchronized void adopt(ModelId id, T value, long bytes) {
        Entry<T> e = new Entry<>(bytes);
        e.value = value;
        e.loadedAt = System.nanoTime();
        e.lastUsed = e.loadedAt;
        entries.put(id, e);
        used += bytes;
    }

    private Gone<T> remove(ModelId id) {
        Entry<T> e = entries.remove(id);
        used -= e.bytes;
        return new Gone<>(e.resident(id), detach(id, e.value));
    }

    private void letGo(Gone<T> gone) {
        if (gone == null) {
            return;
        }
        dispose(gone.resident.id(), gone.value);
        listener.evicted(level, gone.resident);
    }

    private record Gone<T>(Resident resident, T value) {
    }

    private static final class Entry<T> {
        T value;
        long bytes;
        long lastUsed;
        long loadedAt;
        int inFlight;
        long hits;
        boolean retiring;

        Entry(long bytes) {
            this.bytes = bytes;
        }

        Resident resident(ModelId id) {
            return new Resident(id, bytes, lastUsed, loadedAt, inFlight, hits);
        }
    }
}
