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

    private volatile T value;
    private volatile long bytes;
    private volatile Optional<LoadCost> cost = Optional.empty();
    private volatile boolean retiring;
    private final AtomicInteger holds = new AtomicInteger();
    private final AtomicLong lastUsed = new AtomicLong();
    private final LongAdder uses = new LongAdder();

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

    void used(long now) {
        uses.increment();
        lastUsed.accumulateAndGet(now, Math::max);
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
        return Optional.of(new Resident(id, bytes, lastUsed.get(), uses.sum(), cost, inFlight));
    }

    /** The resident as it left the tier. */
    Resident gone(ModelId id) {
        return new Resident(id, bytes, lastUsed.get(), uses.sum(), cost, 0);
    }
}
