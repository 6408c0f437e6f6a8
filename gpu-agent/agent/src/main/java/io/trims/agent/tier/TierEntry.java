package io.trims.agent.tier;

import io.trims.directory.ModelId;
import io.trims.policy.eviction.LoadCost;
import io.trims.policy.eviction.Resident;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One model's place in a {@link BudgetedTier}: a reservation until its value is filled in, then a resident. Reads
 * (hold, unhold, used) are atomic steps that need no lock; the rest is written under the tier's lock. The hold count
 * doubles as the claim: eviction turns an idle count (0) into {@link #GONE} in one compare-and-set, so a read either
 * got its hold first (and the victim is kept) or finds the entry gone.
 */
final class TierEntry<T> {

    private static final int GONE = -1;
    /** No acquire seen yet. */
    private static final long NEVER = Long.MIN_VALUE;
    /** Weight of the newest gap in the mean gap between acquires: recent habits count, one odd gap does not rule. */
    static final double GAP_WEIGHT = 0.25;

    private volatile T value;
    private volatile long bytes;
    private volatile Optional<LoadCost> cost = Optional.empty();
    private volatile boolean retiring;
    private final AtomicInteger holds = new AtomicInteger();
    private final AtomicLong lastUsed = new AtomicLong();
    private final LongAdder uses = new LongAdder();
    private volatile long residentSince;
    /** The last acquire, apart from lastUsed, which the fill also sets: the loader's hold is not a request's arrival. */
    private final AtomicLong lastAcquired = new AtomicLong(NEVER);
    /** Exponentially weighted mean of the gaps between acquires, at least 1 ns; 0 until there is one. */
    private final AtomicLong meanGap = new AtomicLong();

    private TierEntry(long bytes) {
        this.bytes = bytes;
    }

    static <T> TierEntry<T> reservation(long bytes) {
        return new TierEntry<>(bytes);
    }

    /** Fills the reservation; the loader holds one use. The value is written last: a read that sees it sees the rest. */
    void fill(T loaded, long loadedBytes, Optional<LoadCost> loadCost, long now) {
        bytes = loadedBytes;
        cost = loadCost;
        residentSince = now;
        lastUsed.set(now);
        holds.set(1);
        value = loaded;
    }

    boolean loaded() {
        return value != null;
    }

    T value() {
        return value;
    }

    long bytes() {
        return bytes;
    }

    void bytes(long now) {
        bytes = now;
    }

    /** Takes no new uses; leaves the tier at its last release. */
    void retire() {
        retiring = true;
    }

    boolean retiring() {
        return retiring;
    }

    /** Loaded, not retiring and not claimed by an eviction. */
    boolean serving() {
        return value != null && !retiring && holds.get() != GONE;
    }

    /** One more use in flight, unless the entry is not serving. */
    Optional<T> hold() {
        T held = value;
        if (held == null) {
            return Optional.empty();
        }
        for (int n = holds.get(); n != GONE && !retiring; n = holds.get()) {
            if (holds.compareAndSet(n, n + 1)) {
                return Optional.of(held);
            }
        }
        return Optional.empty();
    }

    /** One use fewer; false if none was in flight. */
    boolean unhold() {
        for (int n = holds.get(); n > 0; n = holds.get()) {
            if (holds.compareAndSet(n, n - 1)) {
                return true;
            }
        }
        return false;
    }

    long lastUsed() {
        return lastUsed.get();
    }

    /** Records an acquire: one lock-free step per counter, like the hold itself. */
    void used(long now) {
        uses.increment();
        lastUsed.accumulateAndGet(now, Math::max);
        long previous = lastAcquired.getAndAccumulate(now, Math::max);
        if (previous != NEVER) {
            // Acquires at one instant (or reading the clock out of order) are 1 ns apart: 0 stays "no gap yet".
            long gap = Math.max(1, now - previous);
            meanGap.accumulateAndGet(gap, TierEntry::smoothed);
        }
    }

    private static long smoothed(long mean, long gap) {
        return mean == 0 ? gap : Math.max(1, Math.round(mean + GAP_WEIGHT * (gap - mean)));
    }

    /** Under the tier's lock: marks an idle resident as leaving; fails if it is in use (or a reservation). */
    boolean claim() {
        return value != null && holds.compareAndSet(0, GONE);
    }

    /** Under the tier's lock: gives back a claim whose plan was dropped; no read can have held it meanwhile. */
    void unclaim() {
        holds.set(0);
    }

    /** The resident as a policy sees it; empty for a reservation or a claimed entry. */
    Optional<Resident> resident(ModelId id) {
        int inFlight = holds.get();
        if (value == null || inFlight == GONE) {
            return Optional.empty();
        }
        return Optional.of(resident(id, inFlight));
    }

    /** The resident as it left the tier. */
    Resident gone(ModelId id) {
        return resident(id, 0);
    }

    private Resident resident(ModelId id, int inFlight) {
        return new Resident(id, bytes, lastUsed.get(), uses.sum(), cost, inFlight, meanGap.get(), residentSince);
    }
}
