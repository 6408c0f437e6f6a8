package io.trims.bench.sim;

/** How many of a host's workers (or load threads) are busy over simulated time, integrated for a utilisation. */
final class Occupancy {

    private final SimClock clock;
    private long busy;
    private long since;
    private double busyNanos;

    Occupancy(SimClock clock) {
        this.clock = clock;
    }

    void add(int delta) {
        long now = clock.read();
        busyNanos += (double) busy * (now - since);
        since = now;
        busy += delta;
    }

    /** Busy time summed over the units until now, in nanoseconds. */
    double busyNanos() {
        return busyNanos + (double) busy * (clock.read() - since);
    }
}
