package io.trims.directory;

import java.util.Objects;

/** A model version: the unit that is stored, cached and routed. */
public record ModelId(String name, String version) {
    public ModelId {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    /** Stable string form, used as a map key: {@code name:version}. */
    public String key() {
        return name + ":" + version;
    }

    @Override
    public String toString() {
        return key();
    }
}
