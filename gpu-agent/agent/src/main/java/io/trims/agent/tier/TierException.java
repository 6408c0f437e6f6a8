package io.trims.agent.tier;

import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import io.trims.directory.TierLevel;

/**
 * Why a model cannot be brought into a tier or served from it, in the tiers' own words: one of a closed set of
 * {@link Kind}s, which callers act on (retry, give up for good) and the HTTP edge turns into a status.
 */
public final class TierException extends RuntimeException {

    /** The outcomes a move between tiers can end in, other than success. */
    public enum Kind {
        /** The catalogue does not know the model. */
        NOT_REGISTERED,
        /** The catalogue knows it, but object storage has no object under its key. */
        NOT_IN_STORE,
        /** The copy from object storage is not the registered one (digest mismatch, truncated). */
        CORRUPT_COPY,
        /** The tier could hold it, but not now (room held by models in use, another load under way); retry. */
        BUSY,
        /** Bigger than the whole tier: no eviction can help. */
        TOO_BIG,
        /** The runtime refuses the file (not a model it can load). */
        NOT_LOADABLE,
        /** Object storage could not be reached, or stopped answering, on every try; another source may serve. */
        STORE_UNAVAILABLE,
        /** The disk the cache lives on ran out of space while a copy was written (below the tier's budget). */
        DISK_FULL
    }

    private final Kind kind;

    private TierException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static TierException notRegistered(ModelId id) {
        return new TierException(Kind.NOT_REGISTERED, "model " + id + " is not registered", null);
    }

    public static TierException notInStore(ModelRecord record) {
        return new TierException(Kind.NOT_IN_STORE, "model " + record.id() + " is registered but its object "
                + record.objectKey() + " is missing from object storage", null);
    }

    static TierException corruptCopy(ModelRecord record, String actualSha256) {
        return new TierException(Kind.CORRUPT_COPY, "model " + record.id() + " in object storage (key "
                + record.objectKey() + ") has sha256 " + actualSha256 + " but the registry says " + record.sha256()
                + "; the copy was discarded and not cached", null);
    }

    /** @param tries how many times the fetch was tried */
    public static TierException storeUnavailable(ModelRecord record, int tries, Throwable cause) {
        return new TierException(Kind.STORE_UNAVAILABLE, "model " + record.id() + " could not be fetched ("
                + tries + (tries == 1 ? " try" : " tries") + "): " + cause.getMessage(), cause);
    }

    static TierException diskFull(ModelId id, long bytes) {
        return new TierException(Kind.DISK_FULL, "no space left on the disk cache for model " + id + " (" + bytes
                + " bytes); the partial copy was removed", null);
    }

    public static TierException tooBig(ModelId id, long bytes, TierLevel tier, long capacity) {
        return new TierException(Kind.TOO_BIG, "model " + id + " needs " + bytes + " bytes, the " + tier.label()
                + " tier holds at most " + capacity, null);
    }

    /** The tier could hold the model, but what would have to go is in use right now. */
    static TierException busy(ModelId id, long bytes, TierLevel tier, long capacity, long used) {
        return new TierException(Kind.BUSY, "no room for model " + id + " (" + bytes + " bytes) in the "
                + tier.label() + " tier: " + used + " of " + capacity + " bytes are held by models in use; retry later", null);
    }

    /** Another load of the model into the tier (or its copy there) got in first; a retry finds it there. */
    static TierException alreadyLoading(ModelId id, TierLevel tier) {
        return new TierException(Kind.BUSY, "model " + id + " is already being loaded into the " + tier.label()
                + " tier; retry", null);
    }

    /** The tier is letting the model go (e.g. an unload) while requests still hold it; once they let go it loads again. */
    public static TierException leaving(ModelId id, TierLevel tier) {
        return new TierException(Kind.BUSY, "model " + id + " is leaving the " + tier.label()
                + " tier (unloaded) and is still held by requests in flight; retry", null);
    }

    /** Each copy loaded for a request was demoted again before the request could take it. */
    /** The host is stopping: it starts no more loads (503, so placement sends the request to another host). */
    public static TierException stopping(String host) {
        return new TierException(Kind.BUSY, "host " + host + " is stopping", null);
    }

    public static TierException contended(ModelId id, TierLevel tier, int attempts) {
        return new TierException(Kind.BUSY, "model " + id + " was demoted from the " + tier.label() + " tier "
                + attempts + " times before it could run; the tier is too contended", null);
    }

    /** @param onto how the message names where it was to run, e.g. "" for the CPU or " onto the GPU" */
    static TierException notLoadable(ModelId id, String onto, Throwable cause) {
        return new TierException(Kind.NOT_LOADABLE, "model " + id + " cannot be loaded" + onto + ": "
                + cause.getMessage(), cause);
    }
}
