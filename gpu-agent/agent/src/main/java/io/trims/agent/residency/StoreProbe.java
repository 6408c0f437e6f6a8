package io.trims.agent.residency;

import io.trims.objectstore.ObjectStore;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether object storage answers this host, asked now and then: what readiness reports, so an agent that runs on
 * its disk cache while the store is down says so instead of failing to start. Fetches never wait for it; they try
 * the store themselves, and so resume on their own when it returns.
 */
public final class StoreProbe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreProbe.class);

    private final Vertx vertx;
    private final ObjectStore store;
    private final long periodMillis;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean reachable;
    private volatile String detail = "not probed yet";
    private long timer = -1;

    public StoreProbe(Vertx vertx, ObjectStore store, long periodMillis) {
        this.vertx = vertx;
        this.store = store;
        this.periodMillis = periodMillis;
    }

    /** Probes now and then every period, each time on a worker; never blocks the caller. */
    public synchronized void start() {
        probeSoon();
        timer = vertx.setPeriodic(periodMillis, id -> probeSoon());
    }

    /** One probe at a time: a stalled store holds a probe for its timeouts, longer than a short period. */
    private void probeSoon() {
        if (probing.compareAndSet(false, true)) {
            vertx.executeBlocking(() -> {
                try {
                    probe();
                } finally {
                    probing.set(false);
                }
                return null;
            }, false);
        }
    }

    public boolean reachable() {
        return reachable;
    }

    /** Why it is unreachable, or "reachable". */
    public String detail() {
        return detail;
    }

    private void probe() {
        try {
            store.probe();
            if (!reachable) {
                LOG.info("object store reachable");
            }
            reachable = true;
            detail = "reachable";
        } catch (IOException | RuntimeException e) {
            if (reachable || detail.equals("not probed yet")) {
                LOG.warn("object store unreachable: {}", e.getMessage());
            }
            reachable = false;
            detail = e.getMessage();
        }
    }

    @Override
    public synchronized void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
