package io.trims.protocol;

import io.trims.protocol.http.StatusException;

/** A request that cannot be served as asked; {@link #status()} is the HTTP status that says why (400, 404, 413, 422...). */
public class V2Exception extends StatusException {

    public V2Exception(int status, String message) {
        super(status, message);
    }

    public V2Exception(int status, String message, Throwable cause) {
        super(status, message, cause);
    }

    public static V2Exception badRequest(String message) {
        return new V2Exception(400, message);
    }

    public static V2Exception notFound(String message) {
        return new V2Exception(404, message);
    }
}
