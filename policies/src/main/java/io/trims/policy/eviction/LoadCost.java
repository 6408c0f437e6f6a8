package io.trims.policy.eviction;

/**
 * What it took to bring a resident into its tier: where the copy came from and how long the load took, measured
 * where the load completed. A cost-aware policy weighs a resident's bytes against what reloading it would cost.
 *
 * @param source the tier (or object storage) the copy was loaded from
 * @param nanos  how long the load took on the tier's clock
 */
public record LoadCost(Source source, long nanos) {

    /** Where a load into a tier reads the model from: object storage, or the disk tier's file. */
    public enum Source {
        REMOTE, DISK
    }

    public LoadCost {
        if (nanos < 0) {
            throw new IllegalArgumentException("a load cannot take negative time: " + nanos);
        }
    }
}
