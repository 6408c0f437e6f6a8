package io.trims.agent.residency;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A host's periodic work, each task on the residency's workers, one pass of each at a time (while Hazelcast is
 * slow, a member frozen, passes must not pile up on the workers): the in-flight count and statistics, republished
 * if they moved ({@link #REFRESH_MS}); the anti-entropy pass that rewrites the host record and its residencies
 * from the tiers' truth ({@link #REPUBLISH_MS}); the spare-copy sweep, where the host gives spare copies back.
 */
final class HostTimers {

    private static final Logger LOG = LoggerFactory.getLogger(HostTimers.class);
    /** How often the in-flight count and the statistics are republished (if they changed): their rate bound. */
    static final long REFRESH_MS = 250;
    /**
     * How often the host record and this host's residencies are rewritten from the tiers' truth, so that a cleared
     * or merged directory is whole again within this; one host write and one residency query a period.
     */
    static final long REPUBLISH_MS = 2_000;

    private final Vertx vertx;
    private final ResidencyWorkers workers;
    /** Guarded by this. */
    private final List<Long> timers = new ArrayList<>();
    private boolean cancelled;

    HostTimers(Vertx vertx, ResidencyWorkers workers) {
        this.vertx = vertx;
        this.workers = workers;
    }

    /** Starts them, unless {@link #cancel} came first. */
    synchronized void arm(String host, HostPublisher publisher, HostStatistics statistics, SpareCopyRelease spares) {
        if (cancelled) {
            return;
        }
        every(REFRESH_MS, () -> {
            publisher.refreshInFlight();
            publisher.refreshStats(statistics.snapshot(System.currentTimeMillis()));
        });
        every(REPUBLISH_MS, () -> {
            int repaired = publisher.republish();
            if (repaired > 0) {
                LOG.info("{}: the directory had lost or held wrongly {} residencies of this host: repaired", host,
                        repaired);
            }
        });
        if (spares != null) {
            every(spares.periodMillis(), spares::sweep);
        }
    }

    private void every(long millis, Runnable pass) {
        AtomicBoolean running = new AtomicBoolean();
        timers.add(vertx.setPeriodic(millis, id -> {
            if (running.compareAndSet(false, true)) {
                workers.run(() -> {
                    pass.run();
                    return null;
                }).onComplete(done -> running.set(false));
            }
        }));
    }

    synchronized void cancel() {
        cancelled = true;
        timers.forEach(vertx::cancelTimer);
        timers.clear();
    }
}
