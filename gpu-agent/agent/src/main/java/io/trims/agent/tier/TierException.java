package io.trims.agent.tier;

import io.trims.protocol.http.StatusException;
import io.trims.directory.ModelId;
import io.trims.directory.TierLevel;

/** A tier that cannot take or serve a model, with the HTTP status that tells a client why. */
public class TierException extends StatusException {

    public TierException(int status, String message) {
        super(status, message);
    }

    public TierException(int status, String message, Throwable cause) {
        super(status, message, cause);
    }

    /** 507 Insufficient Storage: the model is bigger than the tier's whole budget; no eviction can help. */
    public static TierException tooBig(ModelId id, long bytes, TierLevel tier, long capacity) {
        return new TierException(507, "model " + id + " needs " + bytes + " bytes, the " + tier.label()
                + " tier holds at most " + capacity);
    }

    /** 503: the tier could hold the model, but what would have to go is in use right now. */
    static TierException busy(ModelId id, long bytes, TierLevel tier, long capacity, long used) {
        return new TierException(503, "no room for model " + id + " (" + bytes + " bytes) in the " + tier.label()
                + " tier: " + used + " of " + capacity + " bytes are held by models in use; retry later");
    }

    /** 503: another load of the model into the tier (or its copy there) got in first; a retry finds it there. */
    static TierException alreadyLoading(ModelId id, TierLevel tier) {
        return new TierException(503, "model " + id + " is already being loaded into the " + tier.label()
                + " tier; retry");
    }
}
