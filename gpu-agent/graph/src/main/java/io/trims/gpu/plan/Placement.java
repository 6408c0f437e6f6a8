package io.trims.gpu.plan;

/** Where a tensor's value lives while a plan runs. */
public enum Placement {
    /** A graph input: uploaded into the arena each run. */
    INPUT,
    /** An initializer a device step reads: uploaded once per load. */
    WEIGHT,
    /** Computed on the host from shapes and constants, once per input-shape signature; uploaded into the arena each run where a device step reads it. */
    HOST,
    /** Computed by a device step into the arena (or a view of another tensor). */
    DEVICE
}
