package io.trims.services.placement;

import io.trims.directory.DirectoryListener;
import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;
import io.trims.directory.Residency;
import io.trims.directory.TierDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The front door's copy of the directory snapshot. Taking a snapshot reads every host and residency from
 * Hazelcast, which crosses the network in a cluster, so it is not done per request: the copy is kept until a
 * directory event marks it stale (or it is older than {@code maxAgeMillis}, in case an event was lost), and is
 * then re-taken on a worker thread by the next request; requests arriving meanwhile use the previous copy (a host
 * that left in between costs them one retry at most).
 * Agents republish their in-flight counts periodically, not per request, so under load the copy is re-taken about
 * once per period rather than once per request.
 */
final class DirectoryView implements AutoCloseable {

    private final Vertx vertx;
    private final TierDirectory directory;
    private final long maxAgeMillis;
    private final AtomicBoolean stale = new AtomicBoolean(true);
    private final AutoCloseable subscription;
    private final AtomicBoolean retaking = new AtomicBoolean();
    private volatile DirectorySnapshot current;

    DirectoryView(Vertx vertx, TierDirectory directory, long maxAgeMillis) {
        this.vertx = vertx;
        this.directory = directory;
        this.maxAgeMillis = maxAgeMillis;
        this.subscription = directory.listen(new StaleOnChange());
    }

    /** A snapshot no older than the last directory change seen. */
    Future<DirectorySnapshot> snapshot() {
        DirectorySnapshot known = current;
        if (known != null && !stale.get() && System.currentTimeMillis() - known.takenAtMillis() < maxAgeMillis) {
            return Future.succeededFuture(known);
        }
        if (known != null && !retaking.compareAndSet(false, true)) {
            return Future.succeededFuture(known);
        }
        return fresh().onComplete(taken -> retaking.set(false));
    }

    /** A snapshot taken now, never shared: e.g. to see whether a host that just failed has left. */
    Future<DirectorySnapshot> fresh() {
        return vertx.executeBlocking(() -> {
            stale.set(false);
            DirectorySnapshot taken = directory.snapshot();
            current = taken;
            return taken;
        }, false);
    }

    @Override
    public void close() throws Exception {
        subscription.close();
    }

    private final class StaleOnChange implements DirectoryListener {
        @Override
        public void hostChanged(HostRecord host) {
            stale.set(true);
        }

        @Override
        public void hostRemoved(HostRecord host) {
            stale.set(true);
        }

        @Override
        public void residencyChanged(Residency residency) {
            stale.set(true);
        }

        @Override
        public void residencyRemoved(Residency residency) {
            stale.set(true);
        }
    }
}
