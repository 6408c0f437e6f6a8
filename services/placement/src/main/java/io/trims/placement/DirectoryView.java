package io.trims.placement;

import io.trims.directory.DirectoryListener;
import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;
import io.trims.directory.Residency;
import io.trims.directory.TierDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The front door's copy of the directory snapshot. Taking a snapshot reads every host and residency from
 * Hazelcast, which crosses the network in a cluster, so it is not done per request: the copy is kept until a
 * directory event marks it stale (or it is older than {@code maxAgeMillis}, in case an event was lost), and is
 * then re-taken on a worker thread by the next request; requests arriving meanwhile use the previous copy (a host
 * that left in between costs them one retry at most).
 * Agents republish their in-flight counts periodically, not per request, so under load the copy is re-taken about
 * once per period rather than once per request.
 * Snapshots taken on different worker threads can finish out of order: the kept copy is only ever replaced by one
 * taken no earlier, so a slow re-take never puts back a view older than one already installed.
 */
final class DirectoryView implements AutoCloseable {

    private final Vertx vertx;
    private final Supplier<DirectorySnapshot> taker;
    private final long maxAgeMillis;
    private final AtomicBoolean stale = new AtomicBoolean(true);
    private final AutoCloseable subscription;
    private final AtomicBoolean retaking = new AtomicBoolean();
    private final AtomicReference<DirectorySnapshot> current = new AtomicReference<>();

    DirectoryView(Vertx vertx, TierDirectory directory, long maxAgeMillis) {
        this(vertx, directory, directory::snapshot, maxAgeMillis);
    }

    /** @param taker takes a snapshot of {@code directory}; tests wrap it to order concurrent takes */
    DirectoryView(Vertx vertx, TierDirectory directory, Supplier<DirectorySnapshot> taker, long maxAgeMillis) {
        this.vertx = vertx;
        this.taker = taker;
        this.maxAgeMillis = maxAgeMillis;
        this.subscription = directory.listen(new StaleOnChange());
    }

    /** A snapshot no older than the last directory change seen. */
    Future<DirectorySnapshot> snapshot() {
        DirectorySnapshot known = current.get();
        if (known != null && !stale.get() && System.currentTimeMillis() - known.takenAtMillis() < maxAgeMillis) {
            return Future.succeededFuture(known);
        }
        if (retaking.compareAndSet(false, true)) {
            return fresh().onComplete(taken -> retaking.set(false));
        }
        // Someone else is re-taking: use the previous copy, or, before the first one, take one of our own
        // without touching the flag that is theirs to reset.
        return known != null ? Future.succeededFuture(known) : fresh();
    }

    /** A snapshot taken now, never shared: e.g. to see whether a host that just failed has left. */
    Future<DirectorySnapshot> fresh() {
        return vertx.executeBlocking(() -> {
            stale.set(false);
            DirectorySnapshot taken = taker.get();
            current.accumulateAndGet(taken, DirectoryView::newer);
            return taken;
        }, false);
    }

    /** The later-taken of two snapshots; on a tie the one just taken, so an equal re-take still installs. */
    private static DirectorySnapshot newer(DirectorySnapshot kept, DirectorySnapshot taken) {
        return kept == null || taken.takenAtMillis() >= kept.takenAtMillis() ? taken : kept;
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
