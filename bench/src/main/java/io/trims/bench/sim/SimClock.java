package io.trims.bench.sim;

import io.trims.policy.clock.Ticker;

/** Simulated time: the one ticker of every simulated tier and use history, moved only by the event loop. */
public final class SimClock implements Ticker {

    private long nanos;

    @Override
    public long read() {
        return nanos;
    }

    public long millis() {
        return nanos / 1_000_000;
    }

    void advanceTo(long at) {
        if (at < nanos) {
            throw new IllegalStateException("simulated time cannot go back from " + nanos + " to " + at);
        }
        nanos = at;
    }
}
