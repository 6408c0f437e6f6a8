package io.trims.agent.residency;

import io.trims.agent.tier.Tier;
import io.trims.directory.ModelId;
import io.trims.directory.ResidencyState;

import java.io.IOException;

/**
 * The one protocol by which a copy of a model comes into a tier (object storage to disk, disk to CPU, CPU to GPU):
 * reserve room in the target tier, publish LOADING, load, publish READY while the new copy is still held, let the
 * hold go, publish the host record. Whatever fails, the tier is left as it was and the directory without a record
 * of the copy:
 * <ul>
 *     <li>the reservation is refused (too big, busy, already loading): nothing was taken, nothing is undone;</li>
 *     <li>the LOADING write fails: the reservation is cancelled, the load never starts;</li>
 *     <li>the load fails: the tier has given the reservation back (its load step's contract), the record goes;</li>
 *     <li>the READY write fails: the loaded copy goes again, since the directory could not be told about it.</li>
 * </ul>
 * A record removal that fails as well is added to the original failure as suppressed. A copy that arrives is logged
 * ({@link TierLog#moved}). Blocking: run on a worker.
 */
final class TierMove {

    /** Fills the reservation made for the copy, leaving the caller one use of it, or gives it back and throws. */
    @FunctionalInterface
    interface Load<V> {
        V load() throws IOException;
    }

    /** The bytes a loaded copy holds in its tier, as the directory is told. */
    @FunctionalInterface
    interface Measure<V> {
        long bytes(V copy) throws IOException;
    }

    /** A copy just moved into its tier and the bytes it holds there. */
    record Copy<V>(V value, long bytes) {
    }

    private final HostPublisher publisher;
    private final TierLog log;

    TierMove(HostPublisher publisher, TierLog log) {
        this.publisher = publisher;
        this.log = log;
    }

    /** Moves a copy of {@code id} into {@code tier}, reserving {@code reserve} bytes for it; the copy is not held. */
    <V> Copy<V> move(Tier<?> tier, ModelId id, long reserve, Load<V> load, Measure<V> measure) throws IOException {
        Copy<V> copy = hold(tier, id, reserve, load, measure);
        // A release that demotes (the copy came out over budget, or was evicted while loading) republishes the host.
        tier.release(id);
        return copy;
    }

    /** As {@link #move}, but the copy stays held once for the caller, who releases it in {@code tier}. */
    <V> Copy<V> hold(Tier<?> tier, ModelId id, long reserve, Load<V> load, Measure<V> measure) throws IOException {
        Copy<V> copy = loadAndAnnounce(tier, id, reserve, load, measure);
        try {
            publisher.publishHost();
        } catch (RuntimeException e) {
            tier.release(id);
            throw e;
        }
        return copy;
    }

    private <V> Copy<V> loadAndAnnounce(Tier<?> tier, ModelId id, long reserve, Load<V> load, Measure<V> measure)
            throws IOException {
        long start = System.nanoTime();
        tier.reserve(id, reserve);
        try {
            publisher.residency(id, tier.level(), ResidencyState.LOADING, reserve);
        } catch (RuntimeException e) {
            tier.cancel(id);
            throw e;
        }
        V value;
        try {
            value = load.load();
        } catch (IOException | RuntimeException e) {
            removeRecord(tier, id, e);
            throw e;
        }
        try {
            // Published while held: once released, making room may demote this very copy, and a READY written
            // after that would outlive it.
            long bytes = measure.bytes(value);
            publisher.residency(id, tier.level(), ResidencyState.READY, bytes);
            log.moved(tier.level(), id, bytes, System.nanoTime() - start);
            return new Copy<>(value, bytes);
        } catch (IOException | RuntimeException e) {
            discard(tier, id, e);
            throw e;
        }
    }

    /** The loaded copy the directory cannot be told about goes again, and with it any record of it. */
    private void discard(Tier<?> tier, ModelId id, Exception failure) {
        tier.evict(id);
        try {
            tier.release(id);
        } catch (RuntimeException e) {
            // The copy is gone from the tier; what failed is telling the directory, as the failure already says.
            failure.addSuppressed(e);
        }
        removeRecord(tier, id, failure);
    }

    private void removeRecord(Tier<?> tier, ModelId id, Exception failure) {
        try {
            publisher.removed(id, tier.level());
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
