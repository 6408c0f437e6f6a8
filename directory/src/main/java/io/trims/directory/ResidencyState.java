package io.trims.directory;

/** Where a model's copy in one tier of one host is in its life. */
public enum ResidencyState {
    LOADING, READY, EVICTING;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
