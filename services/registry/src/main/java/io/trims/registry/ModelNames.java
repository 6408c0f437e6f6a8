package io.trims.registry;

import io.trims.protocol.V2Exception;

import java.util.regex.Pattern;

/** Model names and versions become object-store keys and URL segments, so only a safe alphabet is allowed. */
final class ModelNames {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private ModelNames() {
    }

    /** Throws a 400 saying what is wrong with {@code value} as a model {@code what} ("name" or "version"). */
    static String check(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw V2Exception.badRequest("model " + what + " is missing");
        }
        if (!SAFE.matcher(value).matches()) {
            throw V2Exception.badRequest("model " + what + " '" + value + "' is invalid: use 1 to 128 letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit");
        }
        if (value.contains("..")) {
            throw V2Exception.badRequest("model " + what + " '" + value + "' is invalid: it must not contain '..'");
        }
        return value;
    }

    static String modelKey(String name, String version) {
        return prefix(name, version) + "model.onnx";
    }

    static String manifestKey(String name, String version) {
        return prefix(name, version) + "manifest.json";
    }

    /** Left in place of a deleted version, so that its number is never given to other bytes. */
    static String tombstoneKey(String name, String version) {
        return prefix(name, version) + "deleted.json";
    }

    private static String prefix(String name, String version) {
        return RegistryStore.MODELS_PREFIX + name + "/" + version + "/";
    }
}
