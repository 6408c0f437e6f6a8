package io.trims.protocol;

import java.util.Objects;

/**
 * One entry of a request's {@code outputs}.
 *
 * @param binaryData its {@code parameters.binary_data}; null when not given, so the request's
 *                   {@code binary_data_output} decides
 */
public record RequestedOutput(String name, Boolean binaryData) {

    public RequestedOutput {
        Objects.requireNonNull(name, "name");
    }

    public static RequestedOutput named(String name) {
        return new RequestedOutput(name, null);
    }

    public boolean binary(boolean requestDefault) {
        return binaryData != null ? binaryData : requestDefault;
    }
}
