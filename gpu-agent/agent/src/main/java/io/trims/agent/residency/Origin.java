package io.trims.agent.residency;

import java.util.Locale;

/** The tier that held a model when a request for it arrived: what the {@code trims-tier} header says. */
public enum Origin {
    GPU, CPU, DISK, REMOTE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
