package io.trims.agent.tier;

import io.trims.objectstore.StoreUnavailableException;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * How often a fetch from object storage is tried before the request is given up to another host: a cut, stalled or
 * refused transfer, or a copy that arrives damaged, is tried again after a backoff that doubles each time. What a
 * retry cannot mend (no such object, a full disk) fails at once. A few tries only: the front door's reroute is the
 * next remedy, so one broken path is never hammered.
 *
 * @param attempts      tries in all, at least 1
 * @param backoffMillis wait before the second try; doubled before each later one
 */
public record FetchRetry(int attempts, long backoffMillis) {

    public static final FetchRetry DEFAULTS = new FetchRetry(2, 250);

    public FetchRetry {
        if (attempts < 1 || backoffMillis < 0) {
            throw new IllegalArgumentException("TRIMS_FETCH_ATTEMPTS must be at least 1 and TRIMS_FETCH_BACKOFF_MS "
                    + "not negative, not " + attempts + " and " + backoffMillis);
        }
    }

    /** One try; it leaves nothing behind when it fails (no partial file). */
    @FunctionalInterface
    interface Attempt<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code attempt} until it succeeds or the tries are spent; the last failure is thrown with the earlier
     * ones suppressed. Blocking (it sleeps between tries): run on a worker.
     */
    <T> T run(Attempt<T> attempt) throws IOException {
        Exception earlier = null;
        for (int tried = 1; ; tried++) {
            try {
                return attempt.run();
            } catch (StoreUnavailableException | TierException e) {
                boolean mendable = !(e instanceof TierException t) || t.kind() == TierException.Kind.CORRUPT_COPY;
                if (!mendable || tried >= attempts) {
                    if (earlier != null) {
                        e.addSuppressed(earlier);
                    }
                    throw e;
                }
                earlier = e;
                pause(backoffMillis << Math.min(tried - 1, 20));
            }
        }
    }

    private static void pause(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted between fetch tries");
        }
    }
}
