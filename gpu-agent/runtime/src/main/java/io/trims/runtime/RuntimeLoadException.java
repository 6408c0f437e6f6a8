package io.trims.runtime;

/** A model file that the runtime could not turn into a runnable model. */
public class RuntimeLoadException extends Exception {
    public RuntimeLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
