package io.trims.agent.residency;

import io.trims.agent.tier.TierException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The residency's worker pool, counting the tasks it runs (loads, fetches, promotions, publications), so that a
 * stop can refuse new ones and wait for those under way before the tiers close their ONNX Runtime sessions and the
 * GPU executor: a session created or run while its tier closes is a native crash.
 */
final class ResidencyWorkers {

    private final Vertx vertx;
    private final WorkerExecutor pool;
    private final String host;
    /** Guarded by this. */
    private int running;
    private boolean closing;
    private Promise<Void> idle;

    ResidencyWorkers(Vertx vertx, String host, int threads) {
        this.vertx = vertx;
        this.host = host;
        this.pool = vertx.createSharedWorkerExecutor("trims-residency-" + host, threads);
    }

    /** Runs {@code task} on the pool; once {@link #quiesce} was called it fails at once (the host is stopping). */
    <T> Future<T> run(Callable<T> task) {
        synchronized (this) {
            if (closing) {
                return Future.failedFuture(TierException.stopping(host));
            }
            running++;
        }
        return pool.executeBlocking(task, false).andThen(done -> finished());
    }

    /** Runs {@code task} on the pool whatever the state: the stop's own last steps. */
    <T> Future<T> runLast(Callable<T> task) {
        return pool.executeBlocking(task, false);
    }

    private void finished() {
        Promise<Void> waiting;
        synchronized (this) {
            running--;
            if (running > 0 || idle == null) {
                return;
            }
            waiting = idle;
        }
        waiting.tryComplete();
    }

    /**
     * Refuses new tasks and completes once those under way have ended, or after {@code patience} (succeeding
     * either way: the caller goes on with its stop). Answers how many were still running then.
     */
    Future<Integer> quiesce(Duration patience) {
        Promise<Void> waiting;
        synchronized (this) {
            closing = true;
            if (running == 0) {
                return Future.succeededFuture(0);
            }
            if (idle == null) {
                idle = Promise.promise();
            }
            waiting = idle;
        }
        long timer = vertx.setTimer(Math.max(1, patience.toMillis()), id -> waiting.tryComplete());
        return waiting.future().map(v -> {
            vertx.cancelTimer(timer);
            synchronized (this) {
                return running;
            }
        });
    }

    Future<Void> close() {
        return pool.close();
    }
}
