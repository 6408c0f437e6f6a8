package io.trims.policy.promotion;

import io.trims.directory.ModelId;
import io.trims.policy.clock.Ticker;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recent use times per model, for the promotion policy. Keeps at most {@code depth} times per model (the policy
 * never needs more than its promote-after count) and drops models not used for a window, so it stays small.
 */
public final class UseHistory {

    private final int depth;
    private final long windowMillis;
    private final Ticker ticker;
    private final Map<ModelId, Deque<Long>> uses = new HashMap<>();

    /** @param ticker the host's clock; use times are its reading in milliseconds */
    public UseHistory(int depth, long windowMillis, Ticker ticker) {
        this.depth = depth;
        this.windowMillis = windowMillis;
        this.ticker = ticker;
    }

    /** The ticker's reading in milliseconds, the scale of the use times. */
    public long now() {
        return Math.floorDiv(ticker.read(), 1_000_000L);
    }

    /** Records a use now; returns the model's recent use times, oldest first. */
    public synchronized List<Long> record(ModelId id) {
        long now = now();
        uses.values().removeIf(times -> now - times.peekLast() >= windowMillis);
        Deque<Long> times = uses.computeIfAbsent(id, k -> new ArrayDeque<>());
        times.addLast(now);
        while (times.size() > depth) {
            times.removeFirst();
        }
        return List.copyOf(times);
    }

    public synchronized void forget(ModelId id) {
        uses.remove(id);
    }

    synchronized int tracked() {
        return uses.size();
    }
}
