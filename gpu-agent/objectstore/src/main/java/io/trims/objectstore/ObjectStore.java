package io.trims.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.OptionalLong;

/**
 * The remote tier: object storage (MinIO or any S3) holding every registered model's file. Blocking calls:
 * run them on a worker pool, never on an event loop.
 */
public interface ObjectStore {

    /**
     * Checks that the store answers, and readies it for use (e.g. creates the bucket).
     *
     * @throws StoreUnavailableException when it cannot be reached
     */
    void probe() throws IOException;

    /** Streams {@code data} into the store under {@code key}; {@code size} is -1 when unknown. */
    void put(String key, InputStream data, long size) throws IOException;

    /**
     * Opens an object for reading; throws {@link java.nio.file.NoSuchFileException} if there is none. A failure to
     * reach the store, or to read on from it, is a {@link StoreUnavailableException}.
     */
    InputStream get(String key) throws IOException;

    /** The object's size, or empty if there is no such object. */
    OptionalLong size(String key) throws IOException;

    /** Removes an object; removing one that is absent is not an error. */
    void delete(String key) throws IOException;

    /** Keys under a prefix, in any order. */
    List<String> list(String prefix) throws IOException;
}
