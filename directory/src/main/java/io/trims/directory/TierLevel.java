package io.trims.directory;

/** The tiers a host can hold a model in, fastest first. Object storage is not a host tier. */
public enum TierLevel {
    GPU, CPU, DISK;

    /** Lower is faster: GPU 0, CPU 1, DISK 2. */
    public int rank() {
        return ordinal();
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
