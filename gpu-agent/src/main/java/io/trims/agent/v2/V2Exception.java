package io.trims.agent.v2;

import io.trims.agent.http.StatusError;

/** A request that cannot be served as asked; {@link #status()} is the HTTP status that says why (400, 404, 413, 422...). */
public class V2Exception extends RuntimeException implements StatusError {

    private final int status;

    public V2Exception(int status, String message) {
        super(message);
        this.status = status;
    }

    public V2Exception(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    @Override
    public int status() {
        return status;
    }

    public static V2Exception badRequest(String message) {
        return new V2Exception(400, message);
    }

    public static V2Exception notFound(String message) {
        return new V2Exception(404, message);
    }
}
