package io.trims.placement;

import io.trims.directory.ModelId;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The front door's most recent answered requests, newest last, in a ring of fixed size: what the live page lists.
 * Each entry gets the next sequence number, so a reader can ask for what came after the last one it saw. Written
 * from every server instance's event loop; each call holds the lock for a few field writes only.
 */
final class RequestLog {

    static final int DEFAULT_CAPACITY = 200;

    /**
     * One answered request.
     *
     * @param seq         1 for the first entry, then one more for each
     * @param host        where it ran (the agent's trims-host header, else the host placement chose)
     * @param tier        the tier the agent served it from, empty when the agent did not say
     * @param placement   the tier placement expected: gpu, cpu, disk, or remote for a miss
     * @param latencyMs   from the request's arrival at the front door to the agent's answer
     * @param predictedMs what the cost model predicted for the chosen host
     */
    record Entry(long seq, long atMillis, String model, String version, String host, String tier, String placement,
                 int status, double latencyMs, double predictedMs) {

        JsonObject toJson() {
            return new JsonObject().put("seq", seq).put("at", atMillis).put("model", model).put("version", version)
                    .put("host", host).put("tier", tier).put("placement", placement).put("status", status)
                    .put("latencyMs", latencyMs).put("predictedMs", predictedMs);
        }
    }

    private final Entry[] ring;
    private final List<Consumer<Entry>> listeners = new CopyOnWriteArrayList<>();
    /** Sequence number of the newest entry, 0 before the first. Guarded by this. */
    private long last;

    RequestLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a request log holds at least one entry, asked for " + capacity);
        }
        this.ring = new Entry[capacity];
    }

    /** Logs a request the front door answered with an agent's answer. */
    void answered(ModelId model, Routed routed, long startedNanos) {
        String ranOn = routed.answer().header(Routed.HOST_HEADER);
        String tier = routed.answer().header(Routed.TIER_HEADER);
        add(model, ranOn != null ? ranOn : routed.placement().host(), tier != null ? tier : "",
                routed.placement().expectedTier(), routed.status(), (System.nanoTime() - startedNanos) / 1e6,
                routed.predicted().totalMillis());
    }

    /** Appends an entry stamped now, overwriting the oldest when full, and hands it to the listeners. */
    Entry add(ModelId model, String host, String tier, String placement, int status, double latencyMs,
              double predictedMs) {
        Entry entry;
        synchronized (this) {
            last++;
            entry = new Entry(last, System.currentTimeMillis(), model.name(), model.version(), host, tier, placement,
                    status, latencyMs, predictedMs);
            ring[(int) ((last - 1) % ring.length)] = entry;
        }
        listeners.forEach(listener -> listener.accept(entry));
        return entry;
    }

    /** Called with each entry as it is added, on the adding thread: must not block. */
    void onEntry(Consumer<Entry> listener) {
        listeners.add(listener);
    }

    /** The entries still held, oldest first. */
    List<Entry> recent() {
        return since(0);
    }

    /** The entries still held that came after {@code seq}, oldest first. */
    synchronized List<Entry> since(long seq) {
        long first = Math.max(Math.max(seq, last - ring.length) + 1, 1);
        List<Entry> after = new ArrayList<>((int) Math.max(0, last - first + 1));
        for (long s = first; s <= last; s++) {
            after.add(ring[(int) ((s - 1) % ring.length)]);
        }
        return after;
    }

    /** Sequence number of the newest entry, 0 when there is none. */
    synchronized long lastSeq() {
        return last;
    }

    int capacity() {
        return ring.length;
    }
}
