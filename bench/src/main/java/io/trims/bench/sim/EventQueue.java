package io.trims.bench.sim;

import java.util.Comparator;
import java.util.PriorityQueue;

/** What happens next on simulated time: events fire in time order, those at one instant in the order scheduled. */
final class EventQueue {

    private record Event(long at, long seq, Runnable action) {
    }

    private final PriorityQueue<Event> events = new PriorityQueue<>(
            Comparator.comparingLong(Event::at).thenComparingLong(Event::seq));
    private final SimClock clock;
    private long scheduled;

    EventQueue(SimClock clock) {
        this.clock = clock;
    }

    void after(long nanos, Runnable action) {
        events.add(new Event(clock.read() + nanos, scheduled++, action));
    }

    boolean isEmpty() {
        return events.isEmpty();
    }

    long nextAt() {
        return events.isEmpty() ? Long.MAX_VALUE : events.peek().at();
    }

    /** Moves the clock to the next event and fires it. */
    void fireNext() {
        Event e = events.poll();
        clock.advanceTo(e.at());
        e.action().run();
    }
}
