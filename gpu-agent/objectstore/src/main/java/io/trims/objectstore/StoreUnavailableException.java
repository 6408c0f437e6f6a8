package io.trims.objectstore;

import java.io.IOException;

/**
 * Object storage could not be reached or stopped answering: refused, timed out, cut mid-transfer, or a 5xx. Unlike
 * a plain {@link IOException} of the store (access denied, a bad request) it says nothing about the object, so a
 * later try, or another source, may succeed.
 */
public final class StoreUnavailableException extends IOException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
