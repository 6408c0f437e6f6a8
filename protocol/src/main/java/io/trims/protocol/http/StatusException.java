package io.trims.protocol.http;

/** An unchecked failure with the HTTP status that tells a client why. */
public class StatusException extends RuntimeException implements StatusError {

    private final int status;

    public StatusException(int status, String message) {
        super(message);
        this.status = status;
    }

    public StatusException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    @Override
    public int status() {
        return status;
    }
}
