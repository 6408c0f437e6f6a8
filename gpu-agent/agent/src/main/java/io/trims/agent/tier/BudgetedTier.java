package io.trims.agent.tier;

import io.trims.directory.ModelId;
import io.trims.directory.TierLevel;
import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.EvictionPlan;
import io.trims.policy.eviction.EvictionPolicy;
import io.trims.policy.eviction.LoadCost;
import io.trims.policy.eviction.Resident;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * The bookkeeping every tier shares: residents, their statistics, the byte budget and eviction through the policy.
 *
 * <p>As in Caffeine, reads never take the lock: {@link #acquire} and {@link #contains} are a map lookup plus atomic
 * steps on the resident's {@link TierEntry}, which records the use itself, so a hit on an event loop cannot queue
 * behind a policy or a file operation. Maintenance (reservations, the policy's choice, the byte account) happens under
 * the object's lock; a victim is claimed there by an atomic step that fails if a read took it meanwhile. Moving a
 * value aside, disposing of it (closing a session, deleting a file) and telling the listener happen after the lock is
 * released.
 */
public abstract class BudgetedTier<T> implements Tier<T> {

    /** How often a reservation re-plans when reads took the policy's victims before they could be claimed. */
    private static final int PLAN_ATTEMPTS = 3;
    private static final long DETACH_WAIT_SECONDS = 30;

    private final TierLevel level;
    private final long capacity;
    private final EvictionPolicy policy;
    private final Ticker ticker;
    /** Read without the lock; entries are added and removed under it. */
    private final Map<ModelId, TierEntry<T>> entries = new ConcurrentHashMap<>();
    /** Values that have left the tier and are not detached yet; a reservation of the same model waits for them. */
    private final Map<ModelId, CountDownLatch> leaving = new ConcurrentHashMap<>();
    /** Written under the lock. */
    private volatile long used;
    private volatile TierListener listener = (tier, resident) -> {
    };

    protected BudgetedTier(TierLevel level, long capacity, EvictionPolicy policy, Ticker ticker) {
        if (capacity < 0) {
            throw new IllegalArgumentException(level.label() + " tier budget must not be negative: " + capacity);
        }
        this.level = level;
        this.capacity = capacity;
        this.policy = policy;
        this.ticker = ticker;
    }

    /** Frees a value that has left the tier. Called without the lock held, after {@link #detach}. */
    protected abstract void dispose(ModelId id, T value);

    /**
     * Called as a value leaves the tier, without the lock, before any value leaving with it is disposed of and before
     * a reservation of the same model returns; returns what dispose gets. A tier whose values sit at a fixed place (a
     * file named after the model) moves them aside here: a reload writes that place only once its reservation
     * returned, so a late dispose cannot touch the reload's copy. Must not throw.
     */
    protected T detach(ModelId id, T value) {
        return value;
    }

    public void listen(TierListener listener) {
        this.listener = listener;
    }

    /** The clock the tier's statistics are taken on. */
    public Ticker ticker() {
        return ticker;
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
    public long usedBytes() {
        return used;
    }

    @Override
    public List<Resident> residents() {
        return entries.entrySet().stream().flatMap(e -> e.getValue().resident(e.getKey()).stream()).toList();
    }

    @Override
    public boolean contains(ModelId id) {
        TierEntry<T> e = entries.get(id);
        return e != null && e.serving();
    }

    /** True while a copy of the model is leaving the tier but still held by requests: it cannot be loaded again yet. */
    public boolean leaving(ModelId id) {
        TierEntry<T> e = entries.get(id);
        return e != null && e.retiring();
    }

    @Override
    public Optional<T> acquire(ModelId id) {
        TierEntry<T> e = entries.get(id);
        if (e == null) {
            return Optional.empty();
        }
        Optional<T> value = e.hold();
        value.ifPresent(v -> e.used(ticker.read()));
        return value;
    }

    @Override
    public void release(ModelId id) {
        TierEntry<T> e = entries.get(id);
        if (e == null || !e.unhold()) {
            throw new IllegalStateException(id + " released in the " + level.label() + " tier more often than acquired");
        }
        if (e.retiring()) {
            letGo(retireIfIdle(id, e));
        }
    }

    private synchronized List<Gone<T>> retireIfIdle(ModelId id, TierEntry<T> e) {
        return entries.get(id) == e && e.claim() ? List.of(remove(id)) : List.of();
    }

    @Override
    public void reserve(ModelId id, long bytes) {
        if (bytes > capacity) {
            throw TierException.tooBig(id, bytes, level, capacity);
        }
        List<Gone<T>> victims;
        CountDownLatch lastCopyLeaving;
        synchronized (this) {
            TierEntry<T> existing = entries.get(id);
            if (existing != null) {
                throw existing.retiring() ? TierException.leaving(id, level) : TierException.alreadyLoading(id, level);
            }
            // Reservations of other loads are not candidates; their bytes are in used.
            victims = makeRoom(bytes);
            if (victims == null) {
                throw TierException.busy(id, bytes, level, capacity, used);
            }
            entries.put(id, TierEntry.reservation(bytes));
            used += bytes;
            lastCopyLeaving = leaving.get(id);
        }
        letGo(victims);
        awaitDetached(id, lastCopyLeaving);
    }

    /** A copy of the model evicted just before its reservation is moved aside before the reload may write its place. */
    private void awaitDetached(ModelId id, CountDownLatch detached) {
        if (detached == null) {
            return;
        }
        boolean done;
        try {
            done = detached.await(DETACH_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        if (!done) {
            cancel(id);
            throw new IllegalStateException("the evicted copy of " + id + " in the " + level.label()
                    + " tier was not moved aside within " + DETACH_WAIT_SECONDS + " s");
        }
    }

    @Override
    public synchronized void put(ModelId id, T value, long bytes, LoadCost cost) {
        TierEntry<T> e = entries.get(id);
        if (e == null || e.loaded()) {
            throw new IllegalStateException(id + " has no reservation in the " + level.label() + " tier");
        }
        used += bytes - e.bytes();
        e.fill(value, bytes, Optional.of(cost), ticker.read());
    }

    /**
     * Demotes idle residents (through the policy) until the tier is within its budget again: a load whose real cost
     * came out above its reservation may have pushed it over. Returns false if it could not (only models in use left).
     */
    protected boolean fitBudget() {
        List<Gone<T>> victims;
        synchronized (this) {
            victims = used <= capacity ? List.of() : makeRoom(0);
        }
        if (victims == null) {
            return false;
        }
        letGo(victims);
        return true;
    }

    /**
     * Under the lock: the policy's victims for {@code needed} more bytes, claimed and removed, or null if no choice of
     * idle residents makes room. A read may take a victim between the snapshot and its claim; then the policy plans
     * again on a fresh snapshot.
     */
    private List<Gone<T>> makeRoom(long needed) {
        for (int attempt = 0; attempt < PLAN_ATTEMPTS; attempt++) {
            EvictionPlan plan = policy.plan(residents(), capacity, used, needed);
            if (!plan.fits()) {
                return null;
            }
            if (claimAll(plan.victims())) {
                return plan.victims().stream().map(this::remove).toList();
            }
        }
        return null;
    }

    private boolean claimAll(List<ModelId> victims) {
        List<TierEntry<T>> claimed = new ArrayList<>();
        for (ModelId victim : victims) {
            TierEntry<T> e = entries.get(victim);
            if (e == null || !e.claim()) {
                claimed.forEach(TierEntry::unclaim);
                return false;
            }
            claimed.add(e);
        }
        return true;
    }

    /**
     * Re-reads the cost of a resident whose footprint can change while it is resident (a device arena that grows
     * at the first run of a larger batch). Returns the new cost, or -1 if it is not resident or did not change.
     */
    protected synchronized long recost(ModelId id, ToLongFunction<T> cost) {
        TierEntry<T> e = entries.get(id);
        if (e == null || !e.loaded()) {
            return -1;
        }
        long now = cost.applyAsLong(e.value());
        if (now == e.bytes()) {
            return -1;
        }
        used += now - e.bytes();
        e.bytes(now);
        return now;
    }

    @Override
    public synchronized void cancel(ModelId id) {
        TierEntry<T> e = entries.get(id);
        if (e != null && !e.loaded()) {
            entries.remove(id);
            used -= e.bytes();
        }
    }

    @Override
    public boolean evict(ModelId id) {
        List<Gone<T>> gone;
        synchronized (this) {
            TierEntry<T> e = entries.get(id);
            if (e == null) {
                return false;
            }
            e.retire();
            gone = e.claim() ? List.of(remove(id)) : List.of();
        }
        letGo(gone);
        return true;
    }

    /**
     * Lets a model go now if no request holds it and none has used it after {@code lastUseAtMost} (on the tier's
     * clock); otherwise it stays, serving, and the answer is false. Unlike {@link #evict} it never turns new uses
     * away from a copy that is wanted after all: for giving back a copy that is not needed.
     */
    public boolean evictIfUnused(ModelId id, long lastUseAtMost) {
        List<Gone<T>> gone;
        synchronized (this) {
            TierEntry<T> e = entries.get(id);
            if (e == null || e.retiring() || !e.claim()) {
                return false;
            }
            // Checked once claimed: a use that came before the claim has recorded itself by its release.
            if (e.lastUsed() > lastUseAtMost) {
                e.unclaim();
                return false;
            }
            gone = List.of(remove(id));
        }
        letGo(gone);
        return true;
    }

    /** Empties the tier, disposing of every value without telling the listener (the host is leaving). */
    protected void disposeAll() {
        Map<ModelId, TierEntry<T>> all;
        synchronized (this) {
            all = new HashMap<>(entries);
            entries.clear();
            used = 0;
        }
        all.forEach((id, e) -> {
            if (e.loaded()) {
                dispose(id, e.value());
            }
        });
    }

    /** Indexes a value found at startup, e.g. a file already in the cache directory; how it was loaded is unknown. */
    protected synchronized void adopt(ModelId id, T value, long bytes) {
        TierEntry<T> e = TierEntry.reservation(bytes);
        e.fill(value, bytes, Optional.empty(), ticker.read());
        e.unhold();
        entries.put(id, e);
        used += bytes;
    }

    /** Under the lock: takes a claimed entry out of the tier and its budget; its value is detached once unlocked. */
    private Gone<T> remove(ModelId id) {
        TierEntry<T> e = entries.remove(id);
        used -= e.bytes();
        CountDownLatch detached = new CountDownLatch(1);
        leaving.put(id, detached);
        return new Gone<>(id, e.gone(id), e.value(), detached);
    }

    /** Every value is moved aside before any is disposed of: a listener may reload one of the others. */
    private void letGo(List<Gone<T>> gone) {
        List<T> detached = gone.stream().map(this::detached).toList();
        for (int i = 0; i < gone.size(); i++) {
            dispose(gone.get(i).id(), detached.get(i));
            listener.evicted(level, gone.get(i).resident());
        }
    }

    private T detached(Gone<T> gone) {
        try {
            return detach(gone.id(), gone.value());
        } finally {
            gone.detached().countDown();
            leaving.remove(gone.id(), gone.detached());
        }
    }

    private record Gone<T>(ModelId id, Resident resident, T value, CountDownLatch detached) {
    }
}
