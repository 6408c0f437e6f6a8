package io.trims.launcher;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a process started, closed newest first: agents before the directory they publish to, the directory
 * before Hazelcast, Vert.x before the object store. A failure to close one thing is logged and the rest still close.
 */
final class Resources implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Resources.class);
    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(15);
    /** The default of TRIMS_SHUTDOWN_GRACE_S: under the 10 s a container runtime waits before it kills. */
    static final int DEFAULT_GRACE_S = 8;

    /** A close action that may throw. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private record Entry(String what, Action close) {}

    private final Deque<Entry> started = new ArrayDeque<>();

    synchronized void onClose(String what, Action close) {
        started.push(new Entry(what, close));
    }

    @Override
    public void close() {
        while (true) {
            Entry next;
            synchronized (this) {
                next = started.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.close().run();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", next.what(), e.toString());
            }
        }
    }

    /** Waits for a Vert.x future from a non-Vert.x thread (startup and shutdown), at most {@code patience}. */
    static <T> T await(Future<T> future, Duration patience) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new TimeoutException("not done within " + patience.toSeconds() + " s");
        }
    }

    static void awaitClosed(Future<?> future) throws Exception {
        await(future, CLOSE_PATIENCE);
    }

    /** As {@link #awaitClosed(Future)}, for a stop that first waits {@code grace} for what is under way. */
    static void awaitClosed(Future<?> future, Duration grace) throws Exception {
        await(future, CLOSE_PATIENCE.plus(grace).plus(grace));
    }

    /**
     * TRIMS_SHUTDOWN_GRACE_S ({@value #DEFAULT_GRACE_S}): how long a stopping process lets the requests under way
     * finish (new ones are answered 503) before it closes its servers; loads and uploads under way get as long again.
     */
    static Duration grace(Map<String, String> env) {
        String value = env.get("TRIMS_SHUTDOWN_GRACE_S");
        if (value == null || value.isBlank()) {
            return Duration.ofSeconds(DEFAULT_GRACE_S);
        }
        try {
            int seconds = Integer.parseInt(value.trim());
            if (seconds >= 0) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("TRIMS_SHUTDOWN_GRACE_S must be a whole number of seconds, 0 or more, not '"
                + value + "'");
    }
}
