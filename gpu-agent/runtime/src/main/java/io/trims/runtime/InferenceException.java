package io.trims.runtime;

import io.trims.protocol.http.StatusError;

/**
 * A run that failed. {@code badInput} tells a caller's mistake (wrong shape, unknown tensor name) from a fault
 * of the model or runtime.
 */
public class InferenceException extends Exception implements StatusError {
    private final boolean badInput;

    public InferenceException(String message, boolean badInput, Throwable cause) {
        super(message, cause);
        this.badInput = badInput;
    }

    public boolean badInput() {
        return badInput;
    }

    @Override
    public int status() {
        return badInput ? 400 : 500;
    }
}
