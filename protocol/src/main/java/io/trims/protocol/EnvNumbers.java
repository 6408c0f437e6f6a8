package io.trims.protocol;

import java.util.Map;

/** Whole-number settings read from the environment, as every role's configuration reads them. */
public final class EnvNumbers {

    private EnvNumbers() {
    }

    /** The setting {@code name}, or {@code fallback} when unset or blank; a value that is not a whole number throws. */
    public static long whole(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'", e);
        }
    }
}
