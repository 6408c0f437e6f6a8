package io.trims.bench.load;

import io.trims.bench.cluster.Outcome;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an open-loop run got back: every request's outcome, latency counted from the time it was due (so a late send
 * is the system's delay too), and the figures the report gives.
 *
 * @param rate    offered requests per second
 * @param seconds the length of the arrival schedule
 */
public record LoadResult(List<Outcome> outcomes, double rate, double seconds) {

    public LoadResult {
        outcomes = List.copyOf(outcomes);
    }

    /** Requests per HTTP status; 0 stands for no answer (a timeout or a failed connection). */
    public Map<Integer, Long> statuses() {
        Map<Integer, Long> counts = new TreeMap<>();
        outcomes.forEach(o -> counts.merge(o.status(), 1L, Long::sum));
        return counts;
    }

    public long serverErrors() {
        return outcomes.stream().filter(o -> o.status() >= 500).count();
    }

    public long unanswered() {
        return outcomes.stream().filter(o -> !o.answered()).count();
    }

    public long ok() {
        return outcomes.stream().filter(Outcome::ok).count();
    }

    /** The nearest-rank {@code q} quantile (0 to 1) of the answered requests' latencies, ms; NaN when none was. */
    public double latencyMs(double q) {
        double[] sorted = outcomes.stream().filter(Outcome::answered).mapToDouble(Outcome::latencyMs).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** How late the generator sent its latest request, ms: near 0 when the client kept the schedule. */
    public double maxSendLagMs() {
        return outcomes.stream().filter(o -> o.sent() != 0).mapToDouble(o -> (o.sent() - o.due()) / 1e6).max()
                .orElse(Double.NaN);
    }

    /** Answers per second over the schedule's length. */
    public double heldRate() {
        return ok() / seconds;
    }

    /** The first few distinct errors, for a failure message or the report. */
    public List<String> errors(int limit) {
        return outcomes.stream().filter(o -> !o.ok()).map(o -> o.status() + ": " + o.error()).distinct().limit(limit)
                .toList();
    }

    /** One line: offered and held rates, statuses, p50/p99/max. */
    public String summary() {
        return String.format(Locale.ROOT, "%d requests at %.1f/s for %.0f s: %d ok (%.1f/s held), %d 5xx, %d unanswered,"
                        + " statuses %s; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms; max send lag %.2f ms",
                outcomes.size(), rate, seconds, ok(), heldRate(), serverErrors(), unanswered(), statuses(),
                latencyMs(0.5), latencyMs(0.99), latencyMs(1), maxSendLagMs());
    }
}
