package io.trims.bench.cluster;

/**
 * What became of one request of the arrival sequence. Times are {@link System#nanoTime()} values.
 *
 * @param due         when the request was due by the arrival sequence (latency counts from here: a late send is
 *                    the system's delay too, as in any open-loop measurement)
 * @param sent        when the client handed it to the connection
 * @param done        when the last response byte arrived; 0 when no answer came
 * @param status      HTTP status; 0 when there was no answer (timeout or connection failure)
 * @param tier        the {@code trims-tier} header: where the model was when the request reached the host
 * @param predictedMs the {@code trims-predicted-ms} header (the front door's completion-time estimate), NaN if absent
 * @param error       why no answer came, or null
 */
public record Outcome(int model, long due, long sent, long done, int status, String tier, String host,
                      double predictedMs, String error) {

    public boolean answered() {
        return status != 0;
    }

    public boolean ok() {
        return status / 100 == 2;
    }

    /** Arrival to last byte, in milliseconds. */
    public double latencyMs() {
        return (done - due) / 1e6;
    }

    /** Send to last byte, what the front door's estimate predicts, in milliseconds. */
    public double serviceMs() {
        return (done - sent) / 1e6;
    }
}
