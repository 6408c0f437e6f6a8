package io.trims.protocol.auth;

import java.util.Locale;

/** What a key may do: read and infer; also register and delete its tenant's models; anything, for any tenant. */
public enum Role {
    READ,
    WRITE,
    ADMIN;

    static Role parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("role must be read, write or admin, got '" + text + "'");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
