package io.trims.runtime;

import java.nio.file.Path;

/** Turns a model file into something runnable. Blocking: call it on a worker thread. */
public interface ModelRuntime extends AutoCloseable {

    /** Loads the model at {@code file}; the caller owns the result and must close it. */
    LoadedModel load(Path file) throws RuntimeLoadException;

    /** Releases what the runtime holds for all its models (not the models themselves). */
    @Override
    void close();
}
